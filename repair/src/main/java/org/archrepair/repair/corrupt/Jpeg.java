package org.archrepair.repair.corrupt;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGQTable;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.w3c.dom.NodeList;

import static org.archrepair.repair.corrupt.Pixels.H;
import static org.archrepair.repair.corrupt.Pixels.PLANE;
import static org.archrepair.repair.corrupt.Pixels.W;

/**
 * jpeg_compression: a JPEG encode and decode through javax.imageio (its codec is IJG libjpeg, as
 * Pillow's), with the writer's defaults (baseline JFIF, YCbCr with 4:2:0 chroma subsampling, the
 * standard Huffman tables) except the quantization tables, which are set in the image metadata
 * scaled exactly as libjpeg's {@code jpeg_set_quality} scales them for the reference's qualities
 * 80, 65, 58, 50, 40 (integer arithmetic; javax.imageio's own quality setting does the same scaling
 * in float and can differ by one step in a table entry). On the test fixture the round trip equals
 * Pillow's byte for byte (LibraryReferenceTest).
 */
final class Jpeg {
    static final int[] QUALITY = {80, 65, 58, 50, 40};
    private static final String NATIVE_FORMAT = "javax_imageio_jpeg_image_1.0";
    private static final ThreadLocal<ImageWriter> WRITER = ThreadLocal.withInitial(
            () -> ImageIO.getImageWritersByFormatName("jpeg").next());
    private static final int[] QUALITY_ORDER = java.util.stream.IntStream.of(QUALITY).sorted().toArray();
    /** Per thread, the metadata (with the quantization tables) of each quality, built on first use. */
    private static final ThreadLocal<IIOMetadata[]> METADATA = ThreadLocal.withInitial(() -> new IIOMetadata[QUALITY.length]);
    private static final ThreadLocal<ImageReader> READER = ThreadLocal.withInitial(
            () -> ImageIO.getImageReadersByFormatName("jpeg").next());

    private Jpeg() {
    }

    static byte[] compress(byte[] x, int severity) {
        try {
            return decode(encode(x, QUALITY[severity - 1]));
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG round trip through javax.imageio failed", e);
        }
    }

    /** (3, 32, 32) uint8 to JPEG bytes at an IJG quality. */
    static byte[] encode(byte[] x, int quality) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < PLANE; i++)
            for (int c = 0; c < 3; c++) bgr[i * 3 + 2 - c] = x[c * PLANE + i];
        ImageWriter writer = WRITER.get();
        IIOMetadata[] metadata = METADATA.get();
        int q = java.util.Arrays.binarySearch(QUALITY_ORDER, quality);
        if (q < 0) throw new IllegalArgumentException("JPEG quality " + quality + " is not one of " + java.util.Arrays.toString(QUALITY));
        if (metadata[q] == null) metadata[q] = metadata(writer, img, quality);
        IIOMetadata meta = metadata[q];
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_COPY_FROM_METADATA);   // else the writer's quality 0.75 tables win
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, meta), param);
        } finally {
            writer.reset();
        }
        return bytes.toByteArray();
    }

    /** The writer's default metadata for the image with the quantization tables replaced by libjpeg's for quality. */
    private static IIOMetadata metadata(ImageWriter writer, BufferedImage img, int quality) throws IOException {
        IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(NATIVE_FORMAT);
        NodeList tables = root.getElementsByTagName("dqtable");
        for (int i = 0; i < tables.getLength(); i++) {
            IIOMetadataNode t = (IIOMetadataNode) tables.item(i);
            int id = Integer.parseInt(t.getAttribute("qtableId"));
            t.setUserObject(scaled(id == 0 ? JPEGQTable.K1Luminance : JPEGQTable.K2Chrominance, quality));
        }
        meta.setFromTree(NATIVE_FORMAT, root);
        return meta;
    }

    static byte[] decode(byte[] jpeg) throws IOException {
        ImageReader reader = READER.get();
        BufferedImage img;
        try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            reader.setInput(in);
            img = reader.read(0);
        } finally {
            reader.reset();
        }
        byte[] out = new byte[3 * PLANE];
        for (int y = 0; y < H; y++)
            for (int xx = 0; xx < W; xx++) {
                int rgb = img.getRGB(xx, y);
                for (int c = 0; c < 3; c++) out[c * PLANE + y * W + xx] = (byte) (rgb >> (16 - 8 * c));
            }
        return out;
    }

    /** libjpeg's jpeg_quality_scaling and jpeg_add_quant_table with force_baseline: (q * s + 50) / 100 in 1..255. */
    static JPEGQTable scaled(JPEGQTable base, int quality) {
        int s = quality < 50 ? 5000 / quality : 200 - 2 * quality;
        int[] table = base.getTable();
        for (int i = 0; i < table.length; i++) table[i] = (int) Math.min(255, Math.max(1, ((long) table[i] * s + 50) / 100));
        return new JPEGQTable(table);
    }
}
