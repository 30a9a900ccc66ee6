package dev.bosun.scheduler;

import dev.bosun.model.host.ContainerRuntime;

/**
 * A run in containers needs a host whose Docker works, and, when it asks for GPUs, a Docker that
 * can pass them (the NVIDIA Container Toolkit's runtime, or AMD's devices). Processes run anywhere.
 */
final class ContainerCheck implements FeasibilityCheck {
  @Override
  public HostFit evaluate(RunDemand demand, HostCapacity host) {
    if (!demand.container()) {
      return HostFit.FITS_NOW;
    }
    ContainerRuntime runtime = host.resources().containers();
    if (runtime == null || !runtime.available()) {
      return HostFit.NEVER_FITS;
    }
    return demand.gpu().count() > 0 && !runtime.gpus() ? HostFit.NEVER_FITS : HostFit.FITS_NOW;
  }

  @Override
  public Rejection explain(RunDemand demand, HostCapacity host) {
    ContainerRuntime runtime = host.resources().containers();
    if (runtime == null) {
      return new Rejection.NoContainers("its agent does not run containers; update it");
    }
    return new Rejection.NoContainers(runtime.problem() == null ? "no Docker" : runtime.problem());
  }
}
