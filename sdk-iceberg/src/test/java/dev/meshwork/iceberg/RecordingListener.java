package dev.meshwork.iceberg;

import dev.meshwork.spi.RunEvent;
import dev.meshwork.spi.RunListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A run listener that keeps every event, for assertions. */
final class RecordingListener implements RunListener {
  final List<RunEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(RunEvent event) {
    events.add(event);
  }

  List<RunEvent.Type> types() {
    return events.stream().map(RunEvent::type).toList();
  }
}
