package org.betaas.shell.vm;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.vm.TemplateRegistry;
import org.betaas.api.vm.VmTemplate;

@Service
@Command(scope = "betaas", name = "template-list", description = "Lists the VM templates of this gateway and the problems of bad template files")
public class TemplateListCommand implements Action {

    @Reference
    TemplateRegistry templates;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        ShellTable table = new ShellTable();
        for (String c : new String[] {"Template", "Kind", "vCPU", "Memory", "Disk", "Architectures", "Weight", "Image"}) {
            table.column(c);
        }
        for (VmTemplate t : templates.templates()) {
            table.addRow().addContent(t.name(), t.kind().name().toLowerCase().replace('_', '-'), t.vcpus(),
                    VmFormat.mib(t.memoryMiB()), VmFormat.mib(t.diskMiB()),
                    String.join(",", t.architectures().stream().sorted().toList()),
                    t.weight().name().toLowerCase(), t.image());
        }
        table.print(out);
        templates.folder().ifPresent(f -> out.println("Folder: " + f));
        for (String problem : templates.problems()) {
            out.println("Problem: " + problem);
        }
        out.flush();
        return null;
    }
}
