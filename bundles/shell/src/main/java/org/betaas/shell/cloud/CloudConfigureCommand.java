package org.betaas.shell.cloud;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.betaas.api.cloud.CloudSettings;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

@Service
@Command(scope = "betaas", name = "cloud-configure",
        description = "Configures the remote cloud (PID org.betaas.vm.openstack): endpoint, provider type, VM limit,"
                + " user, project and password; options not given keep their value")
public class CloudConfigureCommand implements Action {

    @Reference
    ConfigurationAdmin configAdmin;

    @Reference
    Session session;

    @Option(name = "--endpoint", aliases = "-e", description = "Keystone v3 URL, e.g. https://cloud.example.org:5000/v3"
            + " (\"\" removes the cloud)")
    String endpoint;

    @Option(name = "--provider", aliases = "-t", description = "the cloud type: openstack")
    @Completion(value = StringsCompleter.class, values = {"openstack"})
    String provider;

    @Option(name = "--max-vms", aliases = "-m", description = "the most remote VMs this gateway keeps (0 or more)")
    String maxVms;

    @Option(name = "--user", aliases = "-u", description = "the cloud user")
    String user;

    @Option(name = "--project", aliases = "-p", description = "the project (tenant) the VMs are created in")
    String project;

    @Option(name = "--domain", aliases = "-d", description = "the Keystone domain of user and project")
    String domain;

    @Option(name = "--region", aliases = "-r", description = "the compute region (\"\": the first)")
    String region;

    @Option(name = "--password", aliases = "-P", description = "asks for the password (not echoed)")
    boolean askPassword;

    @Option(name = "--password-file", description = "reads the password from the first line of this file")
    @Completion(FileCompleter.class)
    String passwordFile;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        try {
            Map<String, Object> changes = new LinkedHashMap<>();
            changes.put(CloudSettings.PROVIDER, provider);
            changes.put(CloudSettings.AUTH_URL, endpoint);
            changes.put("user", user);
            changes.put("project", project);
            changes.put("domain", domain);
            changes.put("region", region);
            changes.put(CloudSettings.MAX_VMS, maxVms);
            String password = password();
            changes.put(CloudSettings.PASSWORD, password);
            if (changes.values().stream().allMatch(v -> v == null)) {
                throw new IllegalArgumentException("nothing to change: give at least one of --endpoint, --provider,"
                        + " --max-vms, --user, --project, --domain, --region, --password or --password-file");
            }
            // validated as a whole before anything is written: a refusal leaves the configuration as it was
            Map<String, Object> values = CloudSettings.validate(changes, CloudText::option);
            Configuration configuration = configAdmin.getConfiguration(CloudSettings.PID, "?");
            configuration.update(CloudSettings.merge(configuration.getProperties(), values));
            out.println("Saved the cloud configuration (" + CloudSettings.PID + ")" + (password != null
                    ? "; password changed" : "") + ":");
            CloudText.print(out, CloudSettings.of(configuration.getProperties()));
        } catch (IllegalArgumentException e) {
            out.println("Cannot configure the cloud: " + e.getMessage());
        } catch (IOException e) {
            out.println("Cannot configure the cloud: the configuration could not be stored (" + e.getMessage()
                    + "): check the etc/ folder and retry");
        }
        out.flush();
        return null;
    }

    /** The new password (from the prompt or the file), or null to keep the stored one. */
    private String password() throws IOException {
        if (askPassword && passwordFile != null) {
            throw new IllegalArgumentException("give either --password (asks for it) or --password-file, not both");
        }
        if (passwordFile != null) {
            Path file = Path.of(passwordFile);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--password-file '" + passwordFile + "' does not exist: give a"
                        + " file with the password on its first line");
            }
            String content;
            try {
                content = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("--password-file '" + passwordFile + "' cannot be read: check its"
                        + " permissions");
            }
            String first = content.lines().findFirst().orElse("");
            if (first.isEmpty()) {
                throw new IllegalArgumentException("--password-file '" + passwordFile + "' is empty: put the password"
                        + " on its first line");
            }
            return first;
        }
        if (askPassword) {
            String typed = session.readLine("Cloud password: ", '*');
            if (typed == null || typed.isEmpty()) {
                throw new IllegalArgumentException("no password typed: the stored one is kept (nothing was changed)");
            }
            return typed;
        }
        return null;
    }
}
