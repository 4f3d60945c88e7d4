package org.datasandbox.masking.function;

import java.util.Set;
import org.datasandbox.masking.MaskingException;

/**
 * Keeps the surname of a Chinese name and masks the given name: {@code 张三丰} becomes {@code 张**},
 * {@code 欧阳修} becomes {@code 欧阳*}. A one-character value, or a name in another script, keeps only its
 * first character.
 */
public record ChineseNameMask() implements MaskingFunction {
    private static final long serialVersionUID = 1L;

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
        if (name.length() <= 1) {
            return name.isEmpty() ? "" : "*";
        }
        char[] chars = name.toCharArray(); // one copy, checked and masked in place
        for (char c : chars) {
            if (c < 0x3400 || c > 0x9FFF) {
                return PartialMask.apply(name, 1, 0, '*'); // other scripts, or characters outside the BMP
            }
        }
        boolean compound = chars.length > 2 && COMPOUND_FIRST.indexOf(chars[0]) >= 0
                && COMPOUND_SURNAMES.contains(name.substring(0, 2));
        for (int i = compound ? 2 : 1; i < chars.length; i++) {
            chars[i] = '*';
        }
        return new String(chars);
    }
}
