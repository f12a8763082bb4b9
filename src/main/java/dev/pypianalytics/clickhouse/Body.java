package dev.pypianalytics.clickhouse;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Data a statement reads from its request body ({@code input()}, see {@link ClickHouse#load}): a local file, streamed
 * as it is read, never held in memory. Counts the bytes sent so far, for a progress line.
 */
public final class Body {

    private final HttpRequest.BodyPublisher file;
    private final String encoding;
    private final AtomicLong sent = new AtomicLong();

    private Body(HttpRequest.BodyPublisher file, String encoding) {
        this.file = file;
        this.encoding = encoding;
    }

    /**
     * @param encoding how the file is compressed ({@code gzip}, {@code zstd}: the server decompresses it), or {@code null}
     * @throws FileNotFoundException the file does not exist or cannot be opened
     */
    public static Body ofFile(Path file, String encoding) throws FileNotFoundException {
        return new Body(HttpRequest.BodyPublishers.ofFile(file), encoding);
    }

    /** The {@code Content-Encoding} the data is sent in, or {@code null}. */
    String encoding() {
        return encoding;
    }

    /** Bytes sent so far. */
    public long sent() {
        return sent.get();
    }

    /** The file's bytes for the HTTP request, counted as they are sent. */
    HttpRequest.BodyPublisher publisher() {
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return file.contentLength();
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                file.subscribe(new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscriber.onSubscribe(subscription);
                    }

                    @Override
                    public void onNext(ByteBuffer item) {
                        sent.addAndGet(item.remaining());
                        subscriber.onNext(item);
                    }

                    @Override
                    public void onError(Throwable throwable) {
                        subscriber.onError(throwable);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                });
            }
        };
    }
}
