package io.isthmus.sol.problem;

import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.isthmus.sol.api.StrictJsonInput;

/**
 * What a client is told about a request body that could not be read: where (the attribute path as the API names it,
 * {@code additionalParamsForVnf[0].vnfProfileId}) and why, in the API's terms ("expected a string") rather than the
 * Java types it is read into.
 */
public final class JsonInputProblems {

    private JsonInputProblems() {
    }

    public static String detail(JsonProcessingException e) {
        if (e instanceof JsonParseException) {
            return "Malformed request body: not JSON"
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ", column "
                                    + e.getLocation().getColumnNr() + ")");
        }
        String original = String.valueOf(e.getOriginalMessage());
        if (original.contains("end-of-input") || original.startsWith("No content to map")) {
            return "Malformed request body: not JSON (it ends early, or is empty)";
        }
        String path = e instanceof JsonMappingException m ? path(m) : "";
        String where = path.isEmpty() ? "the request body" : path;
        if (e instanceof StrictJsonInput.RefusedInput) {
            return "Invalid value at " + where + ": " + e.getOriginalMessage();
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            String value = e instanceof InvalidFormatException f && f.getValue() != null
                    ? " (got " + abbreviate(String.valueOf(f.getValue())) + ")"
                    : "";
            return "Invalid value at " + where + ": expected " + expected(m.getTargetType()) + value;
        }
        return "Malformed request body at " + where + ": it does not match the request's structure";
    }

    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    static String expected(Class<?> type) {
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != void.class)) {
            return type == Double.class || type == double.class || type == Float.class || type == float.class
                    ? "a number"
                    : "an integer";
        }
        if (type.isEnum()) {
            StringBuilder values = new StringBuilder();
            for (Object c : type.getEnumConstants()) {
                values.append(values.isEmpty() ? "" : ", ").append(c);
            }
            return "one of " + values;
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "a value of another type";
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? "\"" + value + "\"" : "\"" + value.substring(0, 40) + "…\"";
    }
}
