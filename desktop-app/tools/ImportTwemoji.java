import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Brings the Twemoji images the desktop app draws emoji with into its resources. Run by hand when
 * the set is updated (not part of the build):
 *
 * <pre>
 * npm pack emoji-datasource-twitter@16.0.0 &amp;&amp; tar xzf emoji-datasource-twitter-16.0.0.tgz
 * java desktop-app/tools/ImportTwemoji.java package desktop-app/src/main/resources/dev/messenger/desktop/emoji
 * </pre>
 *
 * Each 64-pixel image is halved (every output pixel is the average of four, with premultiplied
 * alpha so edges keep their colour) and written under its own name, which is its code points in
 * hex with fully-qualified selectors; {@code index.txt} lists the names. The images are Twemoji,
 * © Twitter, Inc. and other contributors, under CC-BY 4.0 (see {@code NOTICE.txt} there).
 */
public final class ImportTwemoji {
    private static final int SOURCE_SIZE = 64;

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java ImportTwemoji.java <emoji-datasource-twitter package dir> <resource dir>");
            System.exit(2);
        }
        Path source = Path.of(args[0], "img", "twitter", String.valueOf(SOURCE_SIZE));
        Path target = Path.of(args[1]);
        Path images = target.resolve("twemoji-32");
        Files.createDirectories(images);
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
                String name = file.getFileName().toString();
                ImageIO.write(halved(ImageIO.read(file.toFile())), "png", images.resolve(name).toFile());
                names.add(name.substring(0, name.length() - ".png".length()));
            }
        }
        Files.write(target.resolve("index.txt"), names);
        System.out.println(names.size() + " images written to " + images);
    }

    private static BufferedImage halved(BufferedImage image) {
        if (image.getWidth() != SOURCE_SIZE || image.getHeight() != SOURCE_SIZE) {
            throw new IllegalArgumentException("expected " + SOURCE_SIZE + " pixels square, got "
                    + image.getWidth() + "x" + image.getHeight());
        }
        int size = SOURCE_SIZE / 2;
        BufferedImage half = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                long alpha = 0, red = 0, green = 0, blue = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int argb = image.getRGB(2 * x + dx, 2 * y + dy);
                        int a = argb >>> 24;
                        alpha += a;
                        red += (long) ((argb >> 16) & 0xff) * a;
                        green += (long) ((argb >> 8) & 0xff) * a;
                        blue += (long) (argb & 0xff) * a;
                    }
                }
                int argb = alpha == 0 ? 0 : (int) ((alpha + 2) / 4) << 24
                        | (int) ((red + alpha / 2) / alpha) << 16
                        | (int) ((green + alpha / 2) / alpha) << 8
                        | (int) ((blue + alpha / 2) / alpha);
                half.setRGB(x, y, argb);
            }
        }
        return half;
    }
}
