package org.betaas.benchmarks.vm;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmRequest;
import org.betaas.benchmarks.Main;
import org.betaas.taas.vm.internal.FolderTemplateRegistry;
import org.betaas.taas.vm.internal.PersistentVmManager;
import org.betaas.taas.vm.libvirt.internal.LibvirtDriver;
import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * {@code vm-deploy}: time from a VM Manager deploy (template lookup, capacity check, XML rendering, H2 record,
 * libvirt define + start) to the domain running, next to {@code virsh define && virsh start} of the same domain
 * XML, alternating, in the same run. Prints one JSON object.
 */
public final class VmDeployCli implements Main.SubCommand {

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--templates", "vm-templates", "--template",
                "service-test-x86_64", "--rounds", "10", "--uri", "qemu:///system", "--domain-type", "qemu"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!o.containsKey(args[i])) {
                err.println("unknown option " + args[i] + ": use " + o.keySet());
                return 2;
            }
            o.put(args[i], args[i + 1]);
        }
        int rounds = Integer.parseInt(o.get("--rounds"));
        String uri = o.get("--uri");
        Path work = Files.createTempDirectory("betaas-vm-bench");
        FolderTemplateRegistry templates = FolderTemplateRegistry.of(Paths.get(o.get("--templates")));
        if (templates.find(o.get("--template")).isEmpty()) {
            err.println("no template " + o.get("--template") + " in " + o.get("--templates") + ": " + templates.problems());
            return 2;
        }
        LibvirtDriver driver = LibvirtDriver.standalone(templates, uri, o.get("--domain-type"),
                work.resolve("consoles"), work.resolve("disks"));
        PersistentVmManager manager = PersistentVmManager.standalone(templates,
                "jdbc:h2:file:" + work.resolve("vms"), driver);
        Connect c = new Connect(uri);
        List<Double> deploy = new ArrayList<>();
        List<Double> virsh = new ArrayList<>();
        try {
            String xml = null;
            for (int round = -1; round < rounds; round++) { // round -1 warms both paths up
                // alternate which goes first, so neither always meets a warmer libvirtd
                boolean virshFirst = xml != null && round % 2 != 0;
                String name = "bench-virsh-" + (round + 1);
                if (virshFirst) {
                    add(virsh, round, virsh(c, uri, xml, name, work));
                }
                long t0 = System.nanoTime();
                VmInstance vm = manager.deploy(new VmRequest(o.get("--template"), "benchmark"), "libvirt");
                add(deploy, round, (System.nanoTime() - t0) / 1e6);
                Domain d = c.domainLookupByName("betaas-" + vm.id());
                try {
                    if (d.getInfo().state != org.libvirt.DomainInfo.DomainState.VIR_DOMAIN_RUNNING) {
                        throw new IllegalStateException("deployed VM " + vm.id() + " is not running");
                    }
                    // the same domain XML, under another name and without its UUID
                    xml = d.getXMLDesc(0).replaceAll("<uuid>[^<]*</uuid>", "").replace("betaas-" + vm.id(), "@NAME@");
                } finally {
                    d.free();
                }
                manager.destroy(vm.id());
                if (!virshFirst) {
                    add(virsh, round, virsh(c, uri, xml, name, work));
                }
            }
        } finally {
            manager.close();
            driver.close();
            c.close();
        }
        double dm = median(deploy);
        double vm = median(virsh);
        out.printf(Locale.ROOT, "{\"template\":\"%s\",\"uri\":\"%s\",\"rounds\":%d,"
                        + "\"deploy_ms\":{\"median\":%.1f,\"min\":%.1f,\"max\":%.1f},"
                        + "\"virsh_define_start_ms\":{\"median\":%.1f,\"min\":%.1f,\"max\":%.1f},"
                        + "\"ratio_of_medians\":%.3f,\"deploy_ms_all\":%s,\"virsh_ms_all\":%s}%n",
                o.get("--template"), uri, rounds, dm, min(deploy), max(deploy), vm, min(virsh), max(virsh), dm / vm,
                fmt(deploy), fmt(virsh));
        return 0;
    }

    /** {@code virsh define && virsh start} of the XML under another name; the domain is removed afterwards. */
    private static double virsh(Connect c, String uri, String xml, String name, Path work) throws Exception {
        Path file = work.resolve(name + ".xml");
        Files.writeString(file, xml.replace("@NAME@", name), StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c", "virsh -q -c \"$0\" define \"$1\" >/dev/null && "
                + "virsh -q -c \"$0\" start \"$2\" >/dev/null", uri, file.toString(), name)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("virsh define && start failed: " + output);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        Domain d = c.domainLookupByName(name);
        try {
            d.destroy();
            d.undefine();
        } finally {
            d.free();
        }
        return ms;
    }

    private static void add(List<Double> xs, int round, double ms) {
        if (round >= 0) {
            xs.add(ms);
        }
    }

    private static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static String fmt(List<Double> xs) {
        return Arrays.toString(xs.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toArray());
    }
}
