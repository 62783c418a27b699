package org.betaas.shell.vm;

import java.time.Duration;
import java.time.Instant;

import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmState;

/** How VM figures are shown in the shell. */
final class VmFormat {

    private VmFormat() {
    }

    /** Time since deployment for a running or stopped VM, e.g. {@code 3d 4h}, {@code 2h 05m}, {@code 42s}. */
    static String uptime(VmInstance vm, Instant now) {
        if (vm.state() != VmState.RUNNING && vm.state() != VmState.STOPPED) {
            return "-";
        }
        return duration(Duration.between(vm.createdAt(), now));
    }

    static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s >= 86_400) {
            return (s / 86_400) + "d " + (s % 86_400 / 3_600) + "h";
        }
        if (s >= 3_600) {
            return (s / 3_600) + "h " + String.format("%02dm", s % 3_600 / 60);
        }
        if (s >= 60) {
            return (s / 60) + "m " + String.format("%02ds", s % 60);
        }
        return s + "s";
    }

    static String where(VmInstance vm) {
        return vm.location() == null || vm.location().isEmpty() ? vm.driver() : vm.driver() + "@" + vm.location();
    }

    static String mib(long mib) {
        return mib >= 1024 && mib % 1024 == 0 ? (mib / 1024) + " GiB" : mib + " MiB";
    }
}
