package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.ContractViolationException;
import dev.meshwork.core.internal.binding.Direction;
import dev.meshwork.core.internal.binding.RecordShapes;
import dev.meshwork.core.internal.schema.ContractSchemas;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.core.schema.Schema;
import dev.meshwork.core.schema.StructType;
import dev.meshwork.spi.write.StructShape;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Binds a port to its contract, the contract's schema object, the table schema and a value type.
 */
final class PortBinder {
  private final DataProduct product;

  PortBinder(DataProduct product) {
    this.product = product;
  }

  /** A port's contract, schema object, table schema and the value shape bound to it. */
  record Bound<T>(
      DataContract contract, SchemaObject object, Schema schema, StructShape<T> shape) {}

  /** Binds a Java record (or {@code Row}) type to an input port's contract, for reading. */
  <T> Bound<T> input(String port, Class<T> type) {
    dev.meshwork.core.model.InputPortSpec spec = product.inputPort(port);
    return bind(
        spec.contractId(),
        port,
        spec.customProperty("schemaObject"),
        type,
        Direction.READ,
        where("input", port));
  }

  /** Binds a Java record (or {@code Row}) type to an output port's contract, for writing. */
  <T> Bound<T> output(String port, Class<T> type) {
    dev.meshwork.core.model.OutputPortSpec spec = product.outputPortByKey(port);
    return bind(
        spec.contractId(),
        port,
        spec.customProperty("schemaObject"),
        type,
        Direction.WRITE,
        where("output", port));
  }

  /** Binds a Java record (or {@code Row}) type to a port's contract. */
  <T> Bound<T> bind(
      String contractId,
      String port,
      Optional<Object> schemaObject,
      Class<T> type,
      Direction direction,
      String where) {
    return bind(
        contractId,
        port,
        schemaObject,
        (struct, w) -> RecordShapes.forRecord(type, struct, direction, w),
        where);
  }

  /** Binds the shape {@code shapes} makes of the contract's struct to a port's contract. */
  <T> Bound<T> bind(
      String contractId,
      String port,
      Optional<Object> schemaObject,
      BiFunction<StructType, String, StructShape<T>> shapes,
      String where) {
    DataContract contract = contract(contractId, where);
    SchemaObject object =
        ContractSchemas.schemaObject(
            contract, port, schemaObject.map(String::valueOf).orElse(null));
    Schema schema = ContractSchemas.schema(contract, object);
    return new Bound<>(contract, object, schema, shapes.apply(schema.struct(), where));
  }

  /** "input port 'x' of product 'y'" or "output port …", for messages. */
  String where(String direction, String port) {
    return direction + " port '" + port + "' of product '" + product.displayName() + "'";
  }

  private DataContract contract(String id, String what) {
    java.util.Optional<dev.meshwork.core.model.MissingContract> missing =
        product.missingContract(id);
    if (missing.isPresent()) {
      throw new ContractViolationException("Cannot open " + what + ": " + missing.get().describe());
    }
    return product
        .contract(id)
        .orElseThrow(
            () ->
                new ContractViolationException(
                    "Cannot open "
                        + what
                        + ": contract '"
                        + id
                        + "' was not loaded with product "
                        + product.source()
                        + "."));
  }
}
