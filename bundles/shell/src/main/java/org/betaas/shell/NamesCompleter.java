package org.betaas.shell;

import java.util.List;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes an argument from the names a BETaaS service knows right now (templates, VM ids, thing ids…). */
public abstract class NamesCompleter implements Completer {

    /** The current names, asked at every completion so that new ones show at once. */
    protected abstract Stream<String> names();

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter strings = new StringsCompleter();
        names().forEach(strings.getStrings()::add);
        return strings.complete(session, commandLine, candidates);
    }
}
