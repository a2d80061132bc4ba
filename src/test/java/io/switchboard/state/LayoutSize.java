package io.switchboard.state;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Estimates the retained heap of an object graph from HotSpot's 64-bit layout with compressed oops and class
 * pointers (the default below 32 GB of heap): 12-byte object headers, 16-byte array headers, 4-byte
 * references, 8-byte alignment. Shared objects (the definition, settings, enums) are not counted. Only the
 * state package's own classes are walked by reflection; any other non-String object fails the estimate, so a
 * JDK collection sneaking into a conversation is noticed.
 */
final class LayoutSize {

  private LayoutSize() {
  }

  static long of(Object root) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Object> todo = new ArrayDeque<>();
    todo.push(root);
    long total = 0;
    while (!todo.isEmpty()) {
      Object next = todo.pop();
      if (!seen.add(next) || shared(next)) {
        continue;
      }
      total += shallow(next, todo);
    }
    return total;
  }

  private static boolean shared(Object o) {
    return o instanceof LifecycleDefinition || o instanceof StateSettings || o instanceof Enum<?>
        || o instanceof Class<?>;
  }

  private static long shallow(Object o, Deque<Object> todo) {
    if (o instanceof String) {
      String s = (String) o;
      boolean latin1 = s.chars().allMatch(c -> c < 256);
      return 24 + align(16 + (long) s.length() * (latin1 ? 1 : 2));
    }
    Class<?> type = o.getClass();
    if (type.isArray()) {
      int length = Array.getLength(o);
      Class<?> component = type.getComponentType();
      if (!component.isPrimitive()) {
        for (int i = 0; i < length; i++) {
          Object element = Array.get(o, i);
          if (element != null) {
            todo.push(element);
          }
        }
      }
      return align(16 + (long) length * width(component));
    }
    if (!type.getPackageName().equals(LayoutSize.class.getPackageName())) {
      // The private NULL_ID marker of CompactIds is a bare Object shared by all instances.
      if (type == Object.class) {
        return 0;
      }
      throw new IllegalStateException("unexpected " + type.getName() + " in a conversation");
    }
    long size = 12;
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        size += width(field.getType());
        if (!field.getType().isPrimitive()) {
          try {
            field.setAccessible(true);
            Object value = field.get(o);
            if (value != null) {
              todo.push(value);
            }
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    return align(size);
  }

  private static int width(Class<?> type) {
    if (type == long.class || type == double.class) {
      return 8;
    }
    if (type == int.class || type == float.class) {
      return 4;
    }
    if (type == short.class || type == char.class) {
      return 2;
    }
    if (type == byte.class || type == boolean.class) {
      return 1;
    }
    return 4;
  }

  private static long align(long size) {
    return (size + 7) & ~7L;
  }
}
