package dev.meshwork.spi;

/** Where ports' tables live: creates, writes, publishes and reads them. */
public interface TableStore extends AutoCloseable {

  /** A one-line description for logs and summaries, without secrets. */
  String describe();

  /** Opens (creating or evolving when needed) the table of an output port. */
  OutputTable openOutput(OutputSpec spec);

  /** Finds and opens the upstream table of an input port. */
  InputTable openInput(InputSpec spec);

  /** Opens the table at a mesh address if it exists (the mesh's own tables, such as metrics). */
  default java.util.Optional<InputTable> openExisting(TableAddress address) {
    return java.util.Optional.empty();
  }

  @Override
  void close();
}
