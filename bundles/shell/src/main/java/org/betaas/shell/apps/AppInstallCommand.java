package org.betaas.shell.apps;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.betaas.api.apps.App;
import org.betaas.api.apps.AppException;
import org.betaas.api.apps.InstalledApp;
import org.betaas.api.apps.ServiceManager;

@Service
@Command(scope = "betaas", name = "app-install", description = "Installs an application from its JSON manifest:"
        + " grants it the matching things, deploys its service VM when it has a web application, and prints its"
        + " token once")
public class AppInstallCommand implements Action {

    @Reference
    ServiceManager apps;

    @Argument(index = 0, name = "manifest", required = true, description = "the manifest file (JSON: name, owner,"
            + " things, optional webapp)")
    @Completion(FileCompleter.class)
    String manifest;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        String json = null;
        try {
            Path file = Path.of(manifest);
            if (!Files.isRegularFile(file)) {
                out.println("Cannot install: manifest file '" + manifest + "' does not exist: give the path of a"
                        + " JSON manifest");
            } else {
                json = Files.readString(file, StandardCharsets.UTF_8);
            }
        } catch (IOException | RuntimeException e) {
            out.println("Cannot install: manifest file '" + manifest + "' cannot be read: " + e.getMessage());
        }
        if (json != null) {
            try {
                InstalledApp installed = apps.install(json);
                App app = installed.app();
                out.println("Installed app " + app.name() + " (owner " + app.manifest().owner() + ")");
                out.println("Things      " + (app.granted().isEmpty() ? "none yet" : String.join(", ",
                        app.granted())));
                app.vmId().ifPresent(vm -> out.println("Service VM  " + vm));
                app.problems().forEach(p -> out.println("Note        " + p));
                out.println("Token       " + installed.token());
                out.println("Keep this token now: it is shown only once (the gateway keeps only its hash).");
            } catch (AppException e) {
                out.println("Cannot install '" + manifest + "': " + e.getMessage());
            }
        }
        out.flush();
        return null;
    }
}
