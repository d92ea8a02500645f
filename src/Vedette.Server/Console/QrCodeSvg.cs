using System.Globalization;
using System.Text;
using QRCoder;

namespace Vedette.Server.Console;

/// <summary>
/// A QR code as inline SVG: one path of the dark modules, drawn here from QRCoder's module matrix. Inline, because an
/// image URL would carry the TOTP secret into logs and caches; one path with a fill attribute, because the CSP
/// forbids inline styles.
/// </summary>
internal static class QrCodeSvg
{
    public static void Write(HtmlWriter html, string text, string label)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        // The matrix includes the four-module quiet zone a scanner needs around the code.
        var matrix = data.ModuleMatrix;
        var size = matrix.Count;
        var path = new StringBuilder(size * size);
        for (var y = 0; y < size; y++)
        {
            var row = matrix[y];
            var x = 0;
            while (x < size)
            {
                if (!row[x])
                {
                    x++;
                    continue;
                }
                var start = x;
                while (x < size && row[x])
                {
                    x++;
                }
                // A horizontal run of dark modules as one rectangle: far shorter than a square per module.
                path.Append(CultureInfo.InvariantCulture, $"M{start} {y}h{x - start}v1h-{x - start}z");
            }
        }
        var extent = size.ToString(CultureInfo.InvariantCulture);
        html.M("<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" shape-rendering=\"crispEdges\"")
            .A("viewBox", $"0 0 {extent} {extent}").A("aria-label", label)
            .M("><path fill=\"#000\"").A("d", path.ToString()).M("></path></svg>");
    }
}
