package org.betaas.api.bigdata;

/** A query or store the Big Data Manager cannot serve; the message names the input or the database and what to do. */
public class BigDataException extends Exception {

    private static final long serialVersionUID = 1L;

    public BigDataException(String message) {
        super(message);
    }

    public BigDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
