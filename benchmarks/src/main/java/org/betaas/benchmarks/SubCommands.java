package org.betaas.benchmarks;

import java.util.Map;
import java.util.TreeMap;

/** The sub-commands of {@link Main}, by name. Each lives in its own package. */
final class SubCommands {

    private static final Map<String, Main.SubCommand> ALL = new TreeMap<>();

    static {
        // registered by the forecast and placement packages as they arrive:
        ALL.put("forecast", new org.betaas.benchmarks.forecast.ForecastCli());
        ALL.put("simulate", new org.betaas.benchmarks.placement.SimulateCli());
        ALL.put("simulate-compare", new org.betaas.benchmarks.placement.SimulateCompareCli());
        ALL.put("senml", new org.betaas.benchmarks.senml.SenmlThroughputCli());
        ALL.put("instance", new org.betaas.benchmarks.instance.InstanceCli());
        ALL.put("vm-deploy", new org.betaas.benchmarks.vm.VmDeployCli());
    }

    private SubCommands() {
    }

    static Main.SubCommand find(String name) {
        return ALL.get(name);
    }

    static String names() {
        return String.join(", ", ALL.keySet());
    }
}
