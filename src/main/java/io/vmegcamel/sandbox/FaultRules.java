package io.vmegcamel.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The {@code failTaskWhen} rules: {@code lang:<code>} (target language) and {@code name:<glob>} (file name). */
final class FaultRules {

    private record Rule(String text, boolean lang, String code, Pattern glob) {
    }

    private final List<Rule> rules;

    private FaultRules(List<Rule> rules) {
        this.rules = rules;
    }

    static FaultRules parse(List<String> specs) {
        List<Rule> out = new ArrayList<>();
        for (String s : specs) {
            if (s != null && s.startsWith("lang:") && s.length() > 5) {
                out.add(new Rule(s, true, s.substring(5), null));
            } else if (s != null && s.startsWith("name:") && s.length() > 5) {
                out.add(new Rule(s, false, null, glob(s.substring(5))));
            } else {
                throw new IllegalArgumentException("bad failTaskWhen rule '" + s
                        + "': use lang:<locale code> or name:<glob on the material/file name>");
            }
        }
        return new FaultRules(out);
    }

    /** The failure reason for the first matching rule, or null. Either argument may be null. */
    String match(String targetLanguage, String name) {
        for (Rule r : rules) {
            if (r.lang && r.code.equals(targetLanguage)) {
                return "Task failed: target language " + targetLanguage + " is not available"
                        + " (sandbox rule " + r.text + ")";
            }
            if (!r.lang && name != null && r.glob.matcher(name).matches()) {
                return "Task failed: media '" + name + "' could not be processed (sandbox rule " + r.text + ")";
            }
        }
        return null;
    }

    /** Shell-style glob, case-sensitive: {@code *} any run, {@code ?} one character. */
    private static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
