package dev.bosun.api;

/**
 * Admin: change a project.
 *
 * @param weight its fair-share weight: a project of weight 2 is entitled to twice the GPU-hours of
 *     a project of weight 1 on the fleets they share
 */
public record UpdateProjectRequest(Double weight) {}
