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
