package dev.bosun.dist;
public final class Main { public static void main(String[] args) { System.out.println("bosun"); } }
