package org.betaas.shell.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The state of every BETaaS Declarative Services component, as SCR reports it. */
final class ComponentStates {

    /** One component: its name, bundle and state in SCR's words. */
    record ComponentState(String name, String bundle, String state) {
    }

    private ComponentStates() {
    }

    static List<ComponentState> of(ServiceComponentRuntime scr, BundleContext context) {
        List<Bundle> betaas = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.betaas.")) {
                betaas.add(b);
            }
        }
        List<ComponentState> states = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(betaas.toArray(new Bundle[0]))) {
            String state;
            if (!scr.isComponentEnabled(d)) {
                state = "DISABLED";
            } else {
                var configs = scr.getComponentConfigurationDTOs(d);
                state = configs.isEmpty() ? "WAITING FOR CONFIGURATION" : name(configs.iterator().next().state);
            }
            states.add(new ComponentState(d.name, d.bundle.symbolicName, state));
        }
        states.sort(Comparator.comparing(ComponentState::name));
        return states;
    }

    static String name(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED (missing service)";
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED (missing configuration)";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED ACTIVATION";
            default -> "UNKNOWN (" + state + ")";
        };
    }
}
