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
        int length = name.codePointCount(0, name.length());
        if (length <= 1) {
            return length == 0 ? "" : "*";
        }
        int surname = length > 2 && COMPOUND_SURNAMES.contains(name.substring(0, 2)) ? 2 : 1;
        if (!isHan(name)) {
            surname = 1;
        }
        return PartialMask.apply(name, surname, 0, '*');
    }

    private static boolean isHan(String s) {
        return s.codePoints().allMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    }
}
