package dev.meshwork.samples.flink;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.Settings;
import dev.meshwork.core.model.DataProduct;
import dev.meshwork.samples.Demo;
import java.time.LocalDate;

/**
 * What the sample jobs share: the demo's mesh on a warehouse folder, its products, their options.
 */
final class DemoMesh {
  private DemoMesh() {}

  /** A mesh of the environment's settings on {@code warehouse}. */
  static Mesh on(String warehouse) {
    return Mesh.builder()
        .settings(Settings.fromEnvironment().with(Settings.WAREHOUSE, warehouse))
        .build();
  }

  /** One of the demo's product descriptors, by file name. */
  static DataProduct product(String file) {
    return DataProduct.load(Demo.Config.defaults(LocalDate.now()).meshDir().resolve(file));
  }

  /** The value of the option at {@code i - 1}. */
  static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
