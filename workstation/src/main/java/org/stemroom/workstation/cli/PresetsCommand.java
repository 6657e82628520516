package org.stemroom.workstation.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.stemroom.core.StemroomException;
import org.stemroom.presets.LayoutPlacement;
import org.stemroom.presets.Preset;
import org.stemroom.presets.PresetException;
import org.stemroom.presets.Presets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stemroom presets list|show|validate|schema}: the built-in presets and checking your own. */
@Command(name = "presets", mixinStandardHelpOptions = true,
        description = "List, show and validate render presets.",
        subcommands = {PresetsCommand.ListCmd.class, PresetsCommand.ShowCmd.class, PresetsCommand.ValidateCmd.class,
                PresetsCommand.SchemaCmd.class})
public final class PresetsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: list, show, validate, schema");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the built-in presets.")
    static final class ListCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<Preset> all = Presets.builtIns();
            int w = 0;
            for (Preset p : all) w = Math.max(w, p.name().length());
            for (Preset p : all) {
                out.printf("%-" + w + "s  %-12s %s%n", p.name(), String.join(",", p.layouts().keySet()), p.description());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print a preset as complete JSON (every default spelled out); a starting point for your own.")
    static final class ShowCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "NAME|FILE.json", description = "a built-in preset name or a preset file")
        String name;

        @Override
        public Integer call() throws StemroomException {
            PrintWriter out = spec.commandLine().getOut();
            out.print(Presets.toJson(Presets.resolve(name)));
            out.flush();
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check preset files against the format; every error names its JSON path.")
    static final class ValidateCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "FILE.json", arity = "1..*")
        List<Path> files;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int bad = 0;
            for (Path f : files) {
                try {
                    Preset p = Presets.load(f);
                    StringBuilder layouts = new StringBuilder();
                    for (var e : p.layouts().entrySet()) {
                        LayoutPlacement lp = e.getValue();
                        if (layouts.length() > 0) layouts.append(", ");
                        layouts.append(e.getKey()).append(" (").append(lp.stems().size()).append(" stems)");
                    }
                    out.println(f + ": ok: preset '" + p.name() + "', " + layouts);
                } catch (PresetException e) {
                    bad++;
                    for (String m : e.errors()) err.println(f + ": " + m);
                } catch (StemroomException e) {
                    bad++;
                    err.println(e.getMessage());
                }
            }
            out.flush();
            err.flush();
            return bad == 0 ? 0 : StemroomCli.EXIT_PROCESSING;
        }
    }

    @Command(name = "schema", mixinStandardHelpOptions = true, description = "Print the preset JSON Schema.")
    static final class SchemaCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(Presets.schemaText());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
