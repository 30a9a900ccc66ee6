package dev.bosun.server.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.api.ApplyRequest;
import dev.bosun.model.state.FleetStatus;
import dev.bosun.model.state.InstanceStatus;
import dev.bosun.server.runs.RunSpec;
import dev.bosun.server.runs.RunSpecs;
import dev.bosun.store.InstanceRecord;
import dev.bosun.store.SchedulingState.ProjectWeight;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which fleets a project's runs may use, and how projects joined by shared fleets are pooled. */
class FleetPoolsTest {
  private static final Map<String, ProjectWeight> PROJECTS =
      Map.of(
          "p-team", new ProjectWeight("team", 2),
          "p-lab", new ProjectWeight("lab", 1),
          "p-solo", new ProjectWeight("solo", 1));

  // team and lab both have a fleet named gpus; team shares its own with lab; solo shares nothing.
  private static final List<InstanceRecord> INSTANCES =
      List.of(
          instance("i1", "f-team-gpus", "gpus", "p-team", "{}"),
          instance("i2", "f-lab-gpus", "gpus", "p-lab", null),
          instance("i3", "f-solo-gpus", "gpus", "p-solo", null));

  private final FleetPools pools =
      new FleetPools(INSTANCES, Map.of("f-team-gpus", Set.of("p-lab")), PROJECTS);

  private static InstanceRecord instance(
      String id, String fleetId, String fleet, String project, String hostSpec) {
    return new InstanceRecord(
        id,
        fleetId,
        fleet,
        project,
        id,
        InstanceStatus.IDLE,
        null,
        "1",
        null,
        0,
        hostSpec,
        null,
        FleetStatus.ACTIVE,
        false);
  }

  private static RunSpec spec(String extra) {
    return new RunSpecs()
        .parse(new ApplyRequest("type: task\ncommands: [true]\n" + extra, "t.yml", Map.of(), null));
  }

  @Test
  void projectsJoinedByASharedFleetArePlannedTogetherWithQualifiedFleetNames() {
    assertThat(pools.poolOf("p-team")).isEqualTo(pools.poolOf("p-lab"));
    assertThat(pools.poolOf("p-solo")).isEqualTo("p-solo");
    assertThat(INSTANCES).extracting(pools::key).containsExactly("team/gpus", "lab/gpus", "gpus");
    assertThat(pools.nameFor(INSTANCES.get(0), "p-lab")).isEqualTo("team/gpus");
    assertThat(pools.nameFor(INSTANCES.get(0), "p-team")).isEqualTo("gpus");
  }

  @Test
  void aPooledRunListsExactlyTheFleetsItsProjectMayUse() {
    assertThat(pools.fleetsFor(spec(""), "p-lab")).contains(List.of("lab/gpus", "team/gpus"));
    assertThat(pools.fleetsFor(spec(""), "p-team"))
        .as("team may not use lab's fleet of the same name")
        .contains(List.of("team/gpus"));
    assertThat(pools.fleetsFor(spec("fleets: [team/gpus]\n"), "p-lab"))
        .contains(List.of("team/gpus"));
    assertThat(pools.fleetsFor(spec("fleets: [gpus]\n"), "p-lab")).contains(List.of("lab/gpus"));
    assertThat(pools.fleetsFor(spec("fleets: [solo/gpus]\n"), "p-lab"))
        .as("a fleet that is not shared with lab stays out of reach")
        .contains(List.of("lab/solo/gpus"));
    assertThat(pools.fleetsFor(spec("backends: [ssh]\n"), "p-lab")).contains(List.of("team/gpus"));
    assertThat(pools.fleetsFor(spec("backends: [ssh]\n"), "p-solo")).isEmpty();
  }

  @Test
  void aProjectThatSharesNothingKeepsPlainNames() {
    assertThat(pools.fleetsFor(spec(""), "p-solo")).contains(List.of());
    assertThat(pools.fleetsFor(spec("fleets: [gpus]\n"), "p-solo")).contains(List.of("gpus"));
    assertThat(pools.mayUse(INSTANCES.get(0), "p-solo")).isFalse();
    assertThat(pools.mayUse(INSTANCES.get(0), "p-lab")).isTrue();
  }
}
