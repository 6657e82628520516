package org.stemroom.workstation.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The start-up fast path of the streaming commands: parses the plain forms of a subcommand's arguments without
 * picocli. Building picocli's model reflects over the command's annotations and loads some 190 picocli classes
 * (Java 5 class files, which the class-data-sharing archive cannot hold): 0.2-0.3 s of CPU at every start, a
 * quarter of a whole one-minute upmix. The forms handled are {@code --name value}, {@code --name=value},
 * {@code -n value}, flags and positional parameters; anything else (help, version, unknown or repeated options,
 * clustered short options, {@code --}, {@code @argfiles}, a value that looks like an option) gives {@code null},
 * and the caller runs picocli, which parses it or explains the mistake exactly as before. The command's picocli
 * annotations stay its one definition: each fast-path command has a test that parses the same argument vectors
 * both ways and compares every field.
 */
final class QuickArgs {
    /** One option: its names (the first is its key in {@link #options}) and whether it takes no value. */
    static final class Spec {
        final String[] names;
        final boolean flag;

        Spec(boolean flag, String... names) {
            this.flag = flag;
            this.names = names;
        }
    }

    /** Option values by their spec's first name (flags map to "true"), in the order given. */
    final Map<String, String> options = new HashMap<>();
    final List<String> positionals = new ArrayList<>();

    private QuickArgs() { }

    /** Parses {@code args[from..]}, or returns null when any of it needs picocli. */
    static QuickArgs parse(String[] args, int from, Spec... specs) {
        QuickArgs q = new QuickArgs();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.isEmpty() || a.charAt(0) == '@') return null;
            if (a.charAt(0) != '-' || looksNumeric(a)) {
                q.positionals.add(a);
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            Spec s = find(specs, name);
            if (s == null) return null;
            if (s.flag) {
                if (value != null) return null;
                value = "true";
            } else if (value == null) {
                if (i + 1 == args.length) return null;
                value = args[++i];
                // picocli reads "-o --quiet" as a missing value; let it say so
                if (!value.isEmpty() && value.charAt(0) == '-' && !looksNumeric(value)) return null;
            }
            if (q.options.put(s.names[0], value) != null) return null;
        }
        return q;
    }

    private static Spec find(Spec[] specs, String name) {
        for (Spec s : specs) {
            for (String n : s.names) if (n.equals(name)) return s;
        }
        return null;
    }

    /** "-3dB", "-0.5", "-.5": a negative number, which picocli takes as a value, never as an option. */
    private static boolean looksNumeric(String a) {
        if (a.length() < 2 || a.charAt(0) != '-') return false;
        char c = a.charAt(1);
        return (c >= '0' && c <= '9') || c == '.';
    }

    String get(String key, String otherwise) {
        String v = options.get(key);
        return v != null ? v : otherwise;
    }
}
