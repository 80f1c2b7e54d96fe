package dev.meshwork.core.internal.binding;

import dev.meshwork.core.MeshworkException;
import dev.meshwork.spi.write.FieldAccessor;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * Builds accessors for record components. It spins a lambda per component with {@link
 * LambdaMetafactory}, so reading a {@code long} component is a direct call without boxing; where
 * the record's package is not open to Meshwork it falls back to a slower method-handle call.
 */
final class Accessors {
  private Accessors() {}

  @SuppressWarnings("unchecked")
  static <T> FieldAccessor<T> forGetter(Class<T> owner, Method getter) {
    Class<?> rt = getter.getReturnType();
    try {
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
      MethodHandle mh = lookup.unreflect(getter);
      Class<?> iface;
      String name;
      Class<?> samReturn;
      if (rt == boolean.class) {
        iface = FieldAccessor.OfBoolean.class;
        name = "getBoolean";
        samReturn = boolean.class;
      } else if (rt == int.class || rt == short.class || rt == byte.class) {
        iface = FieldAccessor.OfInt.class;
        name = "getInt";
        samReturn = int.class;
      } else if (rt == long.class) {
        iface = FieldAccessor.OfLong.class;
        name = "getLong";
        samReturn = long.class;
      } else if (rt == float.class) {
        iface = FieldAccessor.OfFloat.class;
        name = "getFloat";
        samReturn = float.class;
      } else if (rt == double.class) {
        iface = FieldAccessor.OfDouble.class;
        name = "getDouble";
        samReturn = double.class;
      } else {
        iface = FieldAccessor.OfObject.class;
        name = "get";
        samReturn = Object.class;
      }
      MethodType instantiated =
          MethodType.methodType(samReturn == Object.class ? rt : samReturn, owner);
      if (samReturn == int.class && rt != int.class) {
        mh = mh.asType(MethodType.methodType(int.class, owner));
      }
      return (FieldAccessor<T>)
          LambdaMetafactory.metafactory(
                  lookup,
                  name,
                  MethodType.methodType(iface),
                  MethodType.methodType(samReturn, Object.class),
                  mh,
                  instantiated)
              .getTarget()
              .invoke();
    } catch (Throwable fast) {
      return slow(owner, getter);
    }
  }

  private static <T> FieldAccessor<T> slow(Class<T> owner, Method getter) {
    MethodHandle mh;
    try {
      getter.setAccessible(true);
      mh =
          MethodHandles.lookup()
              .unreflect(getter)
              .asType(MethodType.methodType(Object.class, Object.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new MeshworkException(
          "Cannot read component "
              + getter.getName()
              + " of "
              + owner.getName()
              + ": "
              + e.getMessage()
              + ". Make the record public, or open its package to Meshwork.",
          e);
    }
    return (FieldAccessor.OfObject<T>)
        target -> {
          try {
            return mh.invokeExact((Object) target);
          } catch (RuntimeException | Error e) {
            throw e;
          } catch (Throwable e) {
            throw new MeshworkException("Cannot read " + getter.getName() + ": " + e, e);
          }
        };
  }
}
