package org.prunelab.pipeline.report;

import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.prunelab.io.AtomicFiles;
import org.prunelab.io.Digests;

/**
 * Writes a chart as PNG (for screens and MLflow) and as vector PDF beside it (for a paper).
 *
 * <p>Why PDF and not SVG: XChart's own vector encoder needs VectorGraphics2D, which is LGPL; PDF is
 * drawn with PDFBox's Graphics2D bridge (de.rototor pdfboxgraphics2d and Apache PDFBox, both Apache
 * 2.0), so no copyleft code ships in the jar. The PDF is made deterministic (no dates, a document id
 * derived from the PNG's content), so the same data gives the same bytes.
 */
final class FigureFiles {
    private FigureFiles() {
    }

    /** Writes {@code base}.png and {@code base}.pdf; returns both. */
    static List<Path> write(Chart<?, ?> chart, Path dir, String base) throws IOException {
        Path png = dir.resolve(base + ".png");
        byte[] pngBytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.writeBytes(png, pngBytes);
        Path pdf = dir.resolve(base + ".pdf");
        AtomicFiles.writeBytes(pdf, pdf(chart, Digests.sha256(pngBytes)));
        return List.of(png, pdf);
    }

    static byte[] pdf(Chart<?, ?> chart, String id) throws IOException {
        int w = chart.getWidth();
        int h = chart.getHeight();
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(new PDRectangle(w, h));
            doc.addPage(page);
            PdfBoxGraphics2D g = new PdfBoxGraphics2D(doc, w, h);
            try {
                chart.paint(g, w, h);
            } finally {
                g.dispose();
            }
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.drawForm(g.getXFormObject());
            }
            // Without an explicit /ID, PDFBox derives one from the clock: fix it for reproducible bytes.
            COSArray ids = new COSArray();
            ids.add(new COSString(id.substring(0, 32)));
            ids.add(new COSString(id.substring(0, 32)));
            doc.getDocument().getTrailer().setItem(COSName.ID, ids);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }
}
