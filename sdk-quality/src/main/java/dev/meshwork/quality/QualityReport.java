package dev.meshwork.quality;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The structured result of a suite on one output: stable field names, rendered by {@link
 * #toJson()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QualityReport(
    String suite,
    String suiteHash,
    String product,
    String port,
    String runId,
    String checkedAt,
    boolean passed,
    long rowCount,
    long quarantinedRows,
    List<Result> results,
    List<String> problems) {

  /** Copies the lists. */
  public QualityReport {
    results = List.copyOf(results);
    problems = List.copyOf(problems);
  }

  /** The outcome of one check. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Result(
      String id,
      String kind,
      List<String> columns,
      String severity,
      String dimension,
      String origin,
      String description,
      Status status,
      Double observed,
      String expected,
      String unit,
      Boolean exact,
      Double relativeError) {}

  /** What happened to a check. */
  public enum Status {
    PASSED,
    FAILED,
    NOT_EXECUTED
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The report as JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a report back from JSON. */
  public static QualityReport fromJson(String json) {
    try {
      return JSON.readValue(json, QualityReport.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
