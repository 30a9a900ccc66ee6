package dev.bosun.api;

import java.util.List;

/** A fleet and its instances. */
public record FleetInfo(String name, String kind, List<InstanceInfo> instances) {}
