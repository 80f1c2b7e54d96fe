package dev.meshwork.lineage;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON-lines lineage file (the zero-configuration output) and prints the graph it
 * describes: per job, its latest completed run with the dataset versions it read and wrote.
 */
public final class LineageTrail {
  private final List<OpenLineage.RunEvent> events;

  private LineageTrail(List<OpenLineage.RunEvent> events) {
    this.events = List.copyOf(events);
  }

  /** Reads every event of a JSON-lines file. */
  public static LineageTrail read(Path jsonLines) {
    List<OpenLineage.RunEvent> events = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(jsonLines)) {
        if (!line.isBlank()) {
          events.add(OpenLineageClientUtils.runEventFromJson(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read lineage file " + jsonLines + ": " + e.getMessage() + ". Run the demo first.",
          e);
    }
    return new LineageTrail(events);
  }

  /** The events, in file order. */
  public List<OpenLineage.RunEvent> events() {
    return events;
  }

  /** Prints one block per job: inputs → job → outputs, with dataset versions and event counts. */
  public void print(PrintStream out) {
    Map<String, OpenLineage.RunEvent> latest = new LinkedHashMap<>();
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (OpenLineage.RunEvent e : events) {
      String job = e.getJob().getNamespace() + ":" + e.getJob().getName();
      int[] c = counts.computeIfAbsent(job, k -> new int[4]);
      c[e.getEventType().ordinal() % 4]++;
      if (e.getEventType() == OpenLineage.RunEvent.EventType.COMPLETE) {
        latest.put(job, e);
      }
    }
    out.println("Lineage: " + events.size() + " events, " + counts.size() + " jobs");
    latest.forEach(
        (job, e) -> {
          out.println();
          out.println(
              "job "
                  + job
                  + "  (latest run "
                  + e.getRun().getRunId()
                  + " at "
                  + e.getEventTime()
                  + ")");
          for (OpenLineage.InputDataset in : e.getInputs()) {
            out.println("   <- " + label(in.getName(), in.getFacets()));
          }
          for (OpenLineage.OutputDataset o : e.getOutputs()) {
            Long rows =
                o.getOutputFacets() != null && o.getOutputFacets().getOutputStatistics() != null
                    ? o.getOutputFacets().getOutputStatistics().getRowCount()
                    : null;
            out.println(
                "   -> "
                    + label(o.getName(), o.getFacets())
                    + (rows == null ? "" : ", " + rows + " rows"));
          }
        });
  }

  private static String label(String name, OpenLineage.DatasetFacets facets) {
    String table = name;
    String version = "?";
    if (facets != null) {
      if (facets.getSymlinks() != null && !facets.getSymlinks().getIdentifiers().isEmpty()) {
        table = facets.getSymlinks().getIdentifiers().get(0).getName();
      }
      if (facets.getVersion() != null) {
        version = facets.getVersion().getDatasetVersion();
      }
    }
    return table + " @ " + version;
  }
}
