package dev.meshwork.lineage.internal;

import dev.meshwork.core.ParentRun;
import dev.meshwork.core.RunOptions;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.model.SchemaProperty;
import dev.meshwork.core.model.Team;
import dev.meshwork.core.schema.DataType;
import dev.meshwork.core.schema.Field;
import dev.meshwork.core.schema.ListType;
import dev.meshwork.core.schema.MapType;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.lineage.LineageNaming;
import dev.meshwork.spi.GateVerdict;
import dev.meshwork.spi.RunEvent;
import dev.meshwork.spi.TableInfo;
import io.openlineage.client.OpenLineage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Turns Meshwork run events into OpenLineage run events with standard and Meshwork facets. */
public final class EventMapper {
  private final OpenLineage ol;
  private final URI producer;
  private final String jobNamespace;
  private final String meshworkVersion;
  private final ParentRun environmentParent;

  /** A mapper for one producer URI and job namespace. */
  public EventMapper(
      URI producer, String jobNamespace, String meshworkVersion, ParentRun environmentParent) {
    this.ol = new OpenLineage(producer);
    this.producer = producer;
    this.jobNamespace = jobNamespace;
    this.meshworkVersion = meshworkVersion;
    this.environmentParent = environmentParent;
  }

  /** The OpenLineage event of a Meshwork run event. */
  public OpenLineage.RunEvent map(RunEvent e) {
    List<OpenLineage.InputDataset> inputs = new ArrayList<>();
    Map<String, OpenLineage.InputDataset> inputsByPort = new LinkedHashMap<>();
    for (RunEvent.InputInfo in : e.inputs()) {
      OpenLineage.InputDataset ds = input(in);
      inputs.add(ds);
      inputsByPort.put(in.port(), ds);
    }
    List<OpenLineage.OutputDataset> outputs = new ArrayList<>();
    for (RunEvent.OutputInfo out : e.outputs()) {
      outputs.add(output(e, out, inputsByPort));
    }
    return ol.newRunEventBuilder()
        .eventTime(ZonedDateTime.ofInstant(e.time(), ZoneOffset.UTC))
        .eventType(eventType(e.type()))
        .run(ol.newRun(UUID.fromString(RunOptions.uuidOf(e.runId())), runFacets(e)))
        .job(job(e.product()))
        .inputs(inputs)
        .outputs(outputs)
        .build();
  }

  private static OpenLineage.RunEvent.EventType eventType(RunEvent.Type t) {
    return switch (t) {
      case START -> OpenLineage.RunEvent.EventType.START;
      case PROGRESS -> OpenLineage.RunEvent.EventType.RUNNING;
      case COMPLETE -> OpenLineage.RunEvent.EventType.COMPLETE;
      case FAIL -> OpenLineage.RunEvent.EventType.FAIL;
      case ABORT -> OpenLineage.RunEvent.EventType.ABORT;
    };
  }

  private OpenLineage.RunFacets runFacets(RunEvent e) {
    OpenLineage.RunFacetsBuilder b =
        ol.newRunFacetsBuilder()
            .processing_engine(
                e.options()
                    .engine()
                    .map(
                        engine ->
                            ol.newProcessingEngineRunFacet(
                                engine.version(), engine.name(), meshworkVersion))
                    .orElseGet(
                        () ->
                            ol.newProcessingEngineRunFacet(
                                meshworkVersion, "Meshwork", clientVersion())));
    e.options()
        .nominalTime()
        .ifPresent(
            t ->
                b.nominalTime(
                    ol.newNominalTimeRunFacet(ZonedDateTime.ofInstant(t, ZoneOffset.UTC), null)));
    Optional.ofNullable(e.options().parent().orElse(environmentParent))
        .ifPresent(
            p ->
                b.parent(
                    ol.newParentRunFacetBuilder()
                        .run(ol.newParentRunFacetRun(UUID.fromString(p.runId()), null))
                        .job(ol.newParentRunFacetJob(p.namespace(), p.jobName(), null))
                        .build()));
    if (e.error() != null) {
      StringWriter trace = new StringWriter();
      e.error().printStackTrace(new PrintWriter(trace));
      b.errorMessage(
          ol.newErrorMessageRunFacet(
              String.valueOf(e.error().getMessage()), "JAVA", trace.toString()));
    }
    if (!RunOptions.uuidOf(e.runId()).equals(e.runId())) {
      b.put("meshwork_runId", new Facets.RunIdRunFacet(producer, e.runId()));
    }
    if (!e.decisions().isEmpty()) {
      b.put(
          "meshwork_policyDecisions",
          new Facets.PolicyDecisionsRunFacet(
              producer,
              e.decisions().stream()
                  .map(
                      d ->
                          new Facets.PolicyDecisionsRunFacet.Decision(
                              d.action().name(), d.port(), d.allowed(), d.reasons(), d.engine()))
                  .toList()));
    }
    return b.build();
  }

  private static String clientVersion() {
    String v = OpenLineage.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }

  private OpenLineage.Job job(DataProduct p) {
    OpenLineage.JobFacetsBuilder b =
        ol.newJobFacetsBuilder()
            .jobType(
                ol.newJobTypeJobFacet(
                    "BATCH",
                    "MESHWORK",
                    p.customProperties().stream()
                        .filter(c -> "jobType".equals(c.property()))
                        .map(c -> String.valueOf(c.value()))
                        .findFirst()
                        .orElse("DATA_PRODUCT"),
                    null));
    if (p.description() != null) {
      String doc =
          join(p.description().purpose(), p.description().usage(), p.description().limitations());
      if (!doc.isEmpty()) {
        b.documentation(ol.newDocumentationJobFacet(doc, "text/plain"));
      }
    }
    List<OpenLineage.OwnershipJobFacetOwners> owners = new ArrayList<>();
    owners(p.team()).forEach((name, role) -> owners.add(ol.newOwnershipJobFacetOwners(name, role)));
    if (!owners.isEmpty()) {
      b.ownership(ol.newOwnershipJobFacet(owners));
    }
    p.customProperties().stream()
        .filter(c -> "sourceCodeLocation".equals(c.property()) && c.value() != null)
        .findFirst()
        .ifPresent(
            c ->
                b.sourceCodeLocation(
                    ol.newSourceCodeLocationJobFacetBuilder()
                        .type("git")
                        .url(URI.create(String.valueOf(c.value())))
                        .build()));
    return ol.newJob(jobNamespace, LineageNaming.jobName(p), b.build());
  }

  private static Map<String, String> owners(Team team) {
    Map<String, String> out = new LinkedHashMap<>();
    if (team != null) {
      team.members().stream()
          .filter(m -> m.username() != null)
          .forEach(m -> out.put(m.username(), m.role() == null ? "member" : m.role()));
      if (out.isEmpty() && team.name() != null) {
        out.put(team.name(), "team");
      }
    }
    return out;
  }

  private OpenLineage.InputDataset input(RunEvent.InputInfo in) {
    OpenLineage.DatasetFacetsBuilder f =
        common(in.table(), in.schema(), in.contract(), in.version());
    OpenLineage.InputDatasetBuilder b =
        ol.newInputDatasetBuilder()
            .namespace(LineageNaming.datasetNamespace(in.table().location()))
            .name(LineageNaming.datasetName(in.table().location()))
            .facets(f.build());
    OpenLineage.InputDatasetInputFacetsBuilder facets =
        ol.newInputDatasetInputFacetsBuilder()
            .put(
                "meshwork_read",
                new Facets.ReadInputDatasetFacet(producer, in.read(), in.version(), in.after()));
    if (in.rows() >= 0) {
      OpenLineage.InputStatisticsInputDatasetFacetBuilder stats =
          ol.newInputStatisticsInputDatasetFacetBuilder().rowCount(in.rows());
      if (in.volume().files() >= 0) {
        stats.fileCount(in.volume().files()).size(in.volume().bytes());
      }
      facets.inputStatistics(stats.build());
    }
    return b.inputFacets(facets.build()).build();
  }

  private OpenLineage.OutputDataset output(
      RunEvent e, RunEvent.OutputInfo out, Map<String, OpenLineage.InputDataset> inputsByPort) {
    OpenLineage.DatasetFacetsBuilder f =
        common(out.table(), out.schema(), out.contract(), out.version());
    List<OpenLineage.SymlinksDatasetFacetIdentifiers> links =
        new ArrayList<>(symlinks(out.table()));
    links.add(
        ol.newSymlinksDatasetFacetIdentifiers(
            LineageNaming.productNamespace(e.product()), out.port(), "DATA_PRODUCT_PORT"));
    f.symlinks(ol.newSymlinksDatasetFacet(links));
    if (out.version() != null) {
      if (out.table().state() == TableInfo.TableState.CREATED) {
        f.lifecycleStateChange(
            ol.newLifecycleStateChangeDatasetFacet(
                OpenLineage.LifecycleStateChangeDatasetFacet.LifecycleStateChange.CREATE, null));
      } else if (out.table().state() == TableInfo.TableState.EVOLVED) {
        f.lifecycleStateChange(
            ol.newLifecycleStateChangeDatasetFacet(
                OpenLineage.LifecycleStateChangeDatasetFacet.LifecycleStateChange.ALTER, null));
      }
    }
    tags(out.schemaObject()).ifPresent(f::tags);
    columnLineage(out.schemaObject(), inputsByPort).ifPresent(f::columnLineage);
    GateVerdict verdict = out.verdict();
    if (verdict != null && !verdict.assertions().isEmpty()) {
      f.put(
          "dataQualityAssertions",
          new Facets.OutputAssertionsFacet(
              producer,
              verdict.assertions().stream()
                  .map(
                      a ->
                          ol.newDataQualityAssertionsDatasetFacetAssertionsBuilder()
                              .assertion(a.assertion())
                              .column(a.column())
                              .success(a.success())
                              .severity(a.severity())
                              .build())
                  .toList()));
    }
    if (verdict != null && verdict.metrics() != null) {
      f.dataQualityMetrics(metrics(verdict.metrics()));
    }
    OpenLineage.OutputDatasetOutputFacetsBuilder of = ol.newOutputDatasetOutputFacetsBuilder();
    if (out.version() != null) {
      of.outputStatistics(
          ol.newOutputStatisticsOutputDatasetFacet(out.rows(), out.bytes(), out.files()));
      if (!(out.mode() instanceof dev.meshwork.core.WriteMode.Append)) {
        of.put(
            "meshwork_write",
            new Facets.WriteOutputDatasetFacet(
                producer, out.mode().kind(), out.mode().toString(), out.removedRows()));
      }
    }
    return ol.newOutputDatasetBuilder()
        .namespace(LineageNaming.datasetNamespace(out.table().location()))
        .name(LineageNaming.datasetName(out.table().location()))
        .facets(f.build())
        .outputFacets(of.build())
        .build();
  }

  private OpenLineage.DatasetFacetsBuilder common(
      TableInfo table, Schema schema, DataContract contract, Long version) {
    String ns = LineageNaming.datasetNamespace(table.location());
    OpenLineage.DatasetFacetsBuilder f =
        ol.newDatasetFacetsBuilder()
            .dataSource(
                ol.newDatasourceDatasetFacet(ns, URI.create(ns.equals("file") ? "file:///" : ns)))
            .storage(ol.newStorageDatasetFacet("iceberg", "parquet"))
            .symlinks(ol.newSymlinksDatasetFacet(symlinks(table)));
    if (schema != null) {
      f.schema(ol.newSchemaDatasetFacet(fields(schema.fields())));
    }
    if (version != null) {
      f.version(ol.newDatasetVersionDatasetFacet(Long.toString(version)));
    }
    if (contract != null) {
      if (contract.description() != null && contract.description().purpose() != null) {
        f.documentation(
            ol.newDocumentationDatasetFacet(contract.description().purpose(), "text/plain"));
      }
      List<OpenLineage.OwnershipDatasetFacetOwners> owners = new ArrayList<>();
      owners(contract.team())
          .forEach((name, role) -> owners.add(ol.newOwnershipDatasetFacetOwners(name, role)));
      if (!owners.isEmpty()) {
        f.ownership(ol.newOwnershipDatasetFacet(owners));
      }
      f.put(
          "meshwork_dataContract",
          new Facets.DataContractDatasetFacet(
              producer,
              contract.id(),
              contract.version(),
              contract.apiVersion(),
              contract.status(),
              sha256(contract.toCanonicalYaml())));
    }
    return f;
  }

  private List<OpenLineage.SymlinksDatasetFacetIdentifiers> symlinks(TableInfo table) {
    List<OpenLineage.SymlinksDatasetFacetIdentifiers> l = new ArrayList<>();
    l.add(
        ol.newSymlinksDatasetFacetIdentifiers(
            catalogNamespace(table), table.identifier(), "TABLE"));
    return l;
  }

  private static String catalogNamespace(TableInfo table) {
    return "iceberg://" + LineageNaming.datasetNamespace(table.location()).replace("://", "/");
  }

  private List<OpenLineage.SchemaDatasetFacetFields> fields(List<Field> fields) {
    List<OpenLineage.SchemaDatasetFacetFields> out = new ArrayList<>();
    for (Field f : fields) {
      out.add(
          ol.newSchemaDatasetFacetFields(
              f.name(), f.type().display(), f.description(), null, nested(f.type())));
    }
    return out;
  }

  private List<OpenLineage.SchemaDatasetFacetFields> nested(DataType type) {
    if (type instanceof StructType s) {
      return fields(s.fields());
    }
    if (type instanceof ListType l && l.element() instanceof StructType) {
      return List.of(
          ol.newSchemaDatasetFacetFields(
              "_element", l.element().display(), null, null, nested(l.element())));
    }
    if (type instanceof MapType m) {
      return List.of(
          ol.newSchemaDatasetFacetFields("key", m.key().display(), null, null, null),
          ol.newSchemaDatasetFacetFields(
              "value", m.value().display(), null, null, nested(m.value())));
    }
    return null;
  }

  private Optional<OpenLineage.TagsDatasetFacet> tags(SchemaObject object) {
    if (object == null) {
      return Optional.empty();
    }
    List<OpenLineage.TagsDatasetFacetFields> tags = new ArrayList<>();
    object.tags().forEach(t -> tags.add(ol.newTagsDatasetFacetFields(t, "true", "ODCS", null)));
    propertyTags(object.properties(), "", tags);
    return tags.isEmpty() ? Optional.empty() : Optional.of(ol.newTagsDatasetFacet(tags));
  }

  /** Classification and tags of every property, nested ones named by their dotted path. */
  private void propertyTags(
      List<SchemaProperty> properties,
      String prefix,
      List<OpenLineage.TagsDatasetFacetFields> tags) {
    for (SchemaProperty p : properties) {
      String path = prefix + p.name();
      if (p.classification() != null) {
        tags.add(ol.newTagsDatasetFacetFields("classification", p.classification(), "ODCS", path));
      }
      p.tags().forEach(t -> tags.add(ol.newTagsDatasetFacetFields(t, "true", "ODCS", path)));
      propertyTags(p.properties(), path + ".", tags);
    }
  }

  /**
   * Column lineage declared in the output contract: a property's {@code transformSourceObjects}
   * lists {@code <inputPort>.<column>} entries, {@code transformLogic} may name the kind (identity,
   * transformation, aggregation) and {@code transformDescription} describes it.
   */
  private Optional<OpenLineage.ColumnLineageDatasetFacet> columnLineage(
      SchemaObject object, Map<String, OpenLineage.InputDataset> inputsByPort) {
    if (object == null) {
      return Optional.empty();
    }
    OpenLineage.ColumnLineageDatasetFacetFieldsBuilder fields =
        ol.newColumnLineageDatasetFacetFieldsBuilder();
    boolean any = false;
    for (SchemaProperty p : object.properties()) {
      List<OpenLineage.InputField> sources = new ArrayList<>();
      for (String source : p.transformSourceObjects()) {
        int dot = source.indexOf('.');
        OpenLineage.InputDataset in = dot < 0 ? null : inputsByPort.get(source.substring(0, dot));
        if (in == null) {
          continue;
        }
        sources.add(
            ol.newInputFieldBuilder()
                .namespace(in.getNamespace())
                .name(in.getName())
                .field(source.substring(dot + 1))
                .transformations(
                    List.of(
                        ol.newInputFieldTransformationsBuilder()
                            .type("DIRECT")
                            .subtype(subtype(p.transformLogic()))
                            .description(p.transformDescription())
                            .build()))
                .build());
      }
      if (!sources.isEmpty()) {
        fields.put(
            p.name(),
            ol.newColumnLineageDatasetFacetFieldsAdditionalBuilder().inputFields(sources).build());
        any = true;
      }
    }
    return any
        ? Optional.of(ol.newColumnLineageDatasetFacetBuilder().fields(fields.build()).build())
        : Optional.empty();
  }

  /** IDENTITY, TRANSFORMATION or AGGREGATION when {@code transformLogic} names one. */
  private static String subtype(String transformLogic) {
    if (transformLogic != null) {
      String t = transformLogic.strip().toUpperCase(java.util.Locale.ROOT);
      if (t.equals("IDENTITY") || t.equals("AGGREGATION") || t.equals("TRANSFORMATION")) {
        return t;
      }
    }
    return "TRANSFORMATION";
  }

  private OpenLineage.DataQualityMetricsDatasetFacet metrics(GateVerdict.Metrics m) {
    OpenLineage.DataQualityMetricsDatasetFacetColumnMetricsBuilder cols =
        ol.newDataQualityMetricsDatasetFacetColumnMetricsBuilder();
    m.columns()
        .forEach(
            (name, c) ->
                cols.put(
                    name,
                    ol.newDataQualityMetricsDatasetFacetColumnMetricsAdditionalBuilder()
                        .nullCount(c.nullCount())
                        .distinctCount(c.distinctCount())
                        .sum(c.sum())
                        .count(c.count() == null ? null : c.count().doubleValue())
                        .min(c.min())
                        .max(c.max())
                        .build()));
    return ol.newDataQualityMetricsDatasetFacetBuilder()
        .rowCount(m.rowCount())
        .bytes(m.bytes())
        .columnMetrics(cols.build())
        .build();
  }

  private static String join(String... parts) {
    StringBuilder b = new StringBuilder();
    for (String p : parts) {
      if (p != null && !p.isBlank()) {
        if (b.length() > 0) {
          b.append("\n\n");
        }
        b.append(p.strip());
      }
    }
    return b.toString();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
