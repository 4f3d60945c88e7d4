package org.datasandbox.masking.id;

import java.util.Set;

/** Mainland China mobile numbers: 11 digits starting with a carrier prefix. */
public final class MobileNumber {
    /** Prefixes allocated to China Mobile, China Unicom, China Telecom and China Broadnet. */
    public static final Set<String> CARRIER_PREFIXES = Set.of(
            "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159",
            "172", "178", "182", "183", "184", "187", "188", "195", "197", "198",
            "130", "131", "132", "145", "155", "156", "166", "167", "171", "175", "176", "185", "186", "196",
            "133", "149", "153", "173", "174", "177", "180", "181", "189", "190", "191", "193", "199",
            "192");

    private static final boolean[] PREFIX = new boolean[1000];

    static {
        CARRIER_PREFIXES.forEach(p -> PREFIX[Integer.parseInt(p)] = true);
    }

    private MobileNumber() {
    }

    public static boolean isValid(String value) {
        if (value == null || value.length() != 11) {
            return false;
        }
        for (int i = 0; i < 11; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return PREFIX[(value.charAt(0) - '0') * 100 + (value.charAt(1) - '0') * 10 + (value.charAt(2) - '0')];
    }
}
