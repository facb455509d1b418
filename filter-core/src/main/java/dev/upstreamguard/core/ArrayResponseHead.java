package dev.upstreamguard.core;


/** The {@link ResponseHead} built by {@link ResponseHead#of}: two parallel arrays it owns. */
final class ArrayResponseHead implements ResponseHead {
    private final int status;
    private final String reason;
    private final String[] names;
    private final String[] values;

    ArrayResponseHead(int status, String reason, String[] names, String[] values) {
        this.status = status;
        this.reason = reason;
        this.names = names;
        this.values = values;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String reason() {
        return reason;
    }

    @Override
    public int fieldCount() {
        return names.length;
    }

    @Override
    public String fieldName(int index) {
        return names[index];
    }

    @Override
    public String fieldValue(int index) {
        return values[index];
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ResponseHead[").append(status);
        if (reason != null) {
            sb.append(' ').append(reason);
        }
        return sb.append(", ").append(names.length).append(" fields]").toString();
    }
}
