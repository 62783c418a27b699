package org.betaas.adaptation.broker.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Reads Moquette 0.17's private state, for the mends of its bugs that its API leaves no room for (0.17 is the last
 * release). Callers catch {@link ReflectiveOperationException} and carry on without their mend, saying so.
 */
final class MoquetteInternals {

    private MoquetteInternals() {
    }

    /** The value of a field declared by the target's own class. */
    static Object field(Object target, String name) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    /** Calls a method without parameters, declared by the target's class or one of its superclasses. */
    static Object method(Object target, String name) throws ReflectiveOperationException {
        Class<?> type = target.getClass();
        while (type != null) {
            try {
                Method m = type.getDeclaredMethod(name);
                m.setAccessible(true);
                return m.invoke(target);
            } catch (NoSuchMethodException e) {
                type = type.getSuperclass();
            }
        }
        throw new NoSuchMethodException(name);
    }
}
