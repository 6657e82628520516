package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StemroomCliTest {
    @Test
    void exitCodes() {
        assertEquals(0, StemroomCli.execute("--help"));
        assertEquals(0, StemroomCli.execute("--version"));
        assertEquals(2, StemroomCli.execute("--no-such-option"));
        assertEquals(2, StemroomCli.execute());
        assertEquals(0, StemroomCli.execute("convolve", "--help"));
        assertEquals(0, StemroomCli.execute("upmix", "--version"));
        assertEquals(2, StemroomCli.execute("convolve"));
        assertEquals(2, StemroomCli.execute("upmix", "--no-such-option"));
        assertEquals(0, StemroomCli.execute("help", "convolve"));
    }

    /** Every subcommand with a --version option prints the root's version line, in the full and the lean tree. */
    @Test
    void everySubcommandPrintsTheVersion() {
        String expected = "stemroom " + StemroomCli.version();
        int checked = 0;
        for (Map.Entry<String, CommandLine> e : StemroomCli.newCommandLine().getSubcommands().entrySet()) {
            if (e.getValue().getCommandSpec().findOption("--version") == null) continue;
            for (CommandLine tree : new CommandLine[] {StemroomCli.newCommandLine(), StemroomCli.forSubcommand(e.getKey())}) {
                java.io.StringWriter out = new java.io.StringWriter();
                tree.setOut(new java.io.PrintWriter(out));
                assertEquals(0, tree.execute(e.getKey(), "--version"), e.getKey());
                assertEquals(expected, out.toString().strip(), e.getKey());
            }
            checked++;
        }
        org.junit.jupiter.api.Assertions.assertTrue(checked >= 10, "subcommands checked: " + checked);
    }

    /** The lean tree main() builds for one subcommand parses and documents it exactly as the full tree does. */
    @Test
    void leanTreeEqualsFullTreeForEverySubcommand() {
        CommandLine full = StemroomCli.newCommandLine();
        int checked = 0;
        for (Map.Entry<String, CommandLine> e : full.getSubcommands().entrySet()) {
            String name = e.getKey();
            CommandLine lean = StemroomCli.forSubcommand(name);
            if (name.equals("help")) {
                assertNull(lean);
                continue;
            }
            assertEquals(1, lean.getSubcommands().size(), name);
            CommandLine sub = lean.getSubcommands().get(name);
            assertEquals(e.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF),
                    sub.getUsageMessage(CommandLine.Help.Ansi.OFF), name);
            assertEquals(e.getValue().getCommandSpec().qualifiedName(), sub.getCommandSpec().qualifiedName());
            assertEquals(e.getValue().getSubcommands().keySet(), sub.getSubcommands().keySet(), name);
            checked++;
        }
        assertEquals(full.getSubcommands().size() - 1, checked);
        assertNull(StemroomCli.forSubcommand("no-such-command"));
    }
}
