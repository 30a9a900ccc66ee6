package dev.bosun.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bosun.model.host.HostResources;
import dev.bosun.model.state.FleetStatus;
import dev.bosun.model.state.InstanceStatus;
import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.RunStatus;
import dev.bosun.model.state.TerminationReason;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Converts between rows and records: times as epoch millis, enums by name, JSON as text. */
final class StoreRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoreRows() {}

  static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }

  /** How many GPUs a job's {@code gpus} column (a JSON list of indices) names. */
  static int gpuCount(String json) {
    List<Integer> gpus = fromJson(json, new TypeReference<List<Integer>>() {});
    return gpus == null ? 0 : gpus.size();
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(value);
  }

  static Integer integer(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  static Long longValue(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  static <E extends Enum<E>> E enumValue(Class<E> type, String value) {
    return value == null ? null : Enum.valueOf(type, value);
  }

  static String name(Enum<?> value) {
    return value == null ? null : value.name();
  }

  static String toJson(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  static <T> T fromJson(String text, TypeReference<T> type) {
    if (text == null) {
      return null;
    }
    try {
      return JSON.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt JSON column: " + e.getOriginalMessage(), e);
    }
  }

  static UserRecord user(ResultSet rs) throws SQLException {
    return new UserRecord(rs.getString("id"), rs.getString("name"), rs.getBoolean("admin"));
  }

  static InstanceRecord instance(ResultSet rs) throws SQLException {
    return new InstanceRecord(
        rs.getString("id"),
        rs.getString("fleet_id"),
        rs.getString("fleet_name"),
        rs.getString("project_id"),
        rs.getString("name"),
        InstanceStatus.valueOf(rs.getString("status")),
        fromJson(rs.getString("resources"), new TypeReference<HostResources>() {}),
        rs.getString("agent_version"),
        rs.getString("agent_boot_id"),
        rs.getLong("agent_cursor"),
        rs.getString("host_spec"),
        rs.getString("status_message"),
        FleetStatus.valueOf(rs.getString("fleet_status")),
        rs.getBoolean("fleet_cluster"));
  }

  static RunRecord run(ResultSet rs) throws SQLException {
    return new RunRecord(
        rs.getString("id"),
        rs.getString("project_id"),
        rs.getString("project_name"),
        rs.getString("user_id"),
        rs.getString("user_name"),
        rs.getString("name"),
        rs.getString("type"),
        RunStatus.valueOf(rs.getString("status")),
        rs.getString("configuration"),
        rs.getString("file_name"),
        fromJson(rs.getString("client_env"), new TypeReference<Map<String, String>>() {}),
        rs.getInt("priority"),
        instant(rs, "submitted_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        enumValue(TerminationReason.class, rs.getString("termination_reason")),
        rs.getString("termination_message"),
        integer(rs, "exit_status"),
        rs.getString("wait_reason"),
        instant(rs, "estimated_start"),
        enumValue(StopRequestKind.class, rs.getString("stop_request")),
        rs.getLong("version"),
        rs.getInt("deployment_num"));
  }

  static JobRecord job(ResultSet rs) throws SQLException {
    return new JobRecord(
        rs.getString("id"),
        rs.getString("run_id"),
        rs.getInt("job_num"),
        rs.getInt("submission_num"),
        JobStatus.valueOf(rs.getString("status")),
        rs.getString("instance_id"),
        integer(rs, "cpus"),
        longValue(rs, "memory_mb"),
        fromJson(rs.getString("gpus"), new TypeReference<List<Integer>>() {}),
        fromJson(rs.getString("gpu_uuids"), new TypeReference<List<String>>() {}),
        instant(rs, "expected_end"),
        integer(rs, "exit_status"),
        enumValue(TerminationReason.class, rs.getString("termination_reason")),
        rs.getString("message"),
        instant(rs, "submitted_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        rs.getInt("deployment_num"));
  }
}
