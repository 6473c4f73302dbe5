package io.isthmus.vnf.cen.bgp;

/** A protocol error that ends the session with the NOTIFICATION it carries. */
public final class BgpProtocolException extends Exception {

    private final transient Notification notification;

    public BgpProtocolException(Notification notification, String message) {
        super(message + ": " + notification);
        this.notification = notification;
    }

    public Notification notification() {
        return notification;
    }
}
