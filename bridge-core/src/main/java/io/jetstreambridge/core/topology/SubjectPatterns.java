package io.jetstreambridge.core.topology;

/** NATS subject matching: {@code *} is one token, {@code >} one or more trailing tokens. */
public final class SubjectPatterns {

    private SubjectPatterns() {
    }

    /** Whether some literal subject matches both patterns, which is what makes two streams' subjects clash. */
    static boolean overlap(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i].equals(">") || y[i].equals(">")) {
                return true;
            }
            if (!x[i].equals(y[i]) && !x[i].equals("*") && !y[i].equals("*")) {
                return false;
            }
        }
        return x.length == y.length;
    }

    /** Whether every subject that {@code subject} matches is also matched by {@code pattern}. */
    public static boolean covers(String pattern, String subject) {
        String[] p = pattern.split("\\.", -1);
        String[] s = subject.split("\\.", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals(">")) {
                return s.length > i;
            }
            if (i >= s.length || (!p[i].equals("*") && !p[i].equals(s[i])) || (p[i].equals("*") && s[i].equals(">"))) {
                return false;
            }
        }
        return p.length == s.length;
    }
}
