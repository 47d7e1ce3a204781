package org.handoff.order;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

/**
 * What a line's price may be, at every door (a webhook's {@code price}, a CSV inbox row's {@code unit_price}):
 * money is taken as written, never guessed. A price is a non-negative decimal in plain digits ({@code 19.90},
 * {@code 1000}), with no more decimals than its currency has minor units ({@link Currency#getDefaultFractionDigits}:
 * USD and EUR 2, JPY 0, KWD 3; trailing zeros do not count, {@code 12.50} in JPY is not 12.5 but {@code 1000.00}
 * is 1000). {@code 12.345} in USD would have to be rounded one way or another, and {@code 1e3} or
 * {@code 5.81004E+12} is what a spreadsheet writes for a number it has reformatted or rounded: both are refused,
 * not read.
 */
public final class Prices {

    private Prices() {}

    /**
     * The problem with a price written as {@code text} in {@code currency} (an ISO 4217 code, any case; when it is
     * not one, the currency's own rule holds the order and the decimals are not checked), as a sentence part after
     * the field's name and value ("is not a decimal amount"); null when the price is good.
     */
    public static String problem(String text, String currency) {
        if (isExponent(text)) {
            return "is in exponent notation (as a spreadsheet writes a number it has reformatted): write the amount "
                    + "in plain digits";
        }
        BigDecimal amount = parse(text);
        if (amount == null) {
            return "is not a decimal amount";
        }
        return decimalsProblem(amount, currency);
    }

    /** A non-negative decimal in plain digits ({@code 12}, {@code 12.5}, {@code 0.99}, a leading {@code +}), or null. */
    public static BigDecimal parse(String text) {
        String t = text == null ? "" : text.strip();
        int start = t.startsWith("+") ? 1 : 0;
        int digits = 0;
        boolean dot = false;
        for (int i = start; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (ch >= '0' && ch <= '9') {
                digits++;
            } else if (ch == '.' && !dot) {
                dot = true;
            } else {
                return null;
            }
        }
        return digits == 0 ? null : new BigDecimal(t.substring(start));
    }

    /**
     * More decimals than {@code currency} has minor units: "has 3 decimals; USD has 2"; null when it has no more
     * (or the currency is not an ISO 4217 code with minor units).
     */
    public static String decimalsProblem(BigDecimal amount, String currency) {
        int minor = minorUnits(currency);
        int decimals = Math.max(0, amount.stripTrailingZeros().scale());
        if (minor < 0 || decimals <= minor) {
            return null;
        }
        return "has " + decimals + " decimal" + (decimals == 1 ? "" : "s") + "; " + currency.strip().toUpperCase(Locale.ROOT)
                + " has " + minor + " (a price is not rounded for it: write it as the storefront charged it)";
    }

    private static boolean isExponent(String text) {
        String t = text == null ? "" : text.strip();
        int e = Math.max(t.indexOf('e'), t.indexOf('E'));
        if (e <= 0) {
            return false;
        }
        // a number before it: "1e3", "5.81004E+12", "1.5E-2"
        try {
            new BigDecimal(t);
            return true;
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }

    /** The currency's minor units (-1: not an ISO 4217 code, or none defined). */
    private static int minorUnits(String currency) {
        if (currency == null || currency.isBlank()) {
            return -1;
        }
        try {
            return Currency.getInstance(currency.strip().toUpperCase(Locale.ROOT)).getDefaultFractionDigits();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
