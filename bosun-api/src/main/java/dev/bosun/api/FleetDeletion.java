package dev.bosun.api;

/**
 * What deleting a fleet started: {@code status} is {@code deleting} when no job runs on it (its
 * hosts are being cleaned up) or {@code draining} while {@code jobs} jobs still run there (with
 * {@code force}, they are being stopped). The fleet disappears from the fleet list once it is gone.
 */
public record FleetDeletion(String fleet, String status, int jobs) {}
