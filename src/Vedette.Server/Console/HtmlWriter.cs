using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Vedette.Server.Console;

/// <summary>
/// Builds an HTML page where markup and data cannot be confused: <see cref="M"/> takes the page code's own markup
/// (literals only, never data), and every value goes through <see cref="T"/> or <see cref="A"/>, which always encode.
/// Alert fields are attacker-controlled, so there is no way to write a value unencoded.
/// </summary>
internal sealed class HtmlWriter
{
    /// <summary>Encodes what HTML needs encoded and leaves other scripts readable (user names, titles in any language).</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly StringBuilder _html = new(8192);
    /// <summary>Markup written by the page code itself: a literal, never a value from a request or the store.</summary>
    public HtmlWriter M(string markup)
    {
        _html.Append(markup);
        return this;
    }

    /// <summary>Text content, HTML-encoded.</summary>
    public HtmlWriter T(string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            _html.Append(Encoder.Encode(text));
        }
        return this;
    }

    /// <summary>An attribute <c> name="value"</c> with the value encoded; the name is page code's.</summary>
    public HtmlWriter A(string name, string? value)
    {
        _html.Append(' ').Append(name).Append("=\"");
        T(value);
        _html.Append('"');
        return this;
    }

    /// <summary>A whole element with text content: <c>&lt;td class="x"&gt;text&lt;/td&gt;</c>.</summary>
    public HtmlWriter El(string tag, string? text, string? cssClass = null)
    {
        _html.Append('<').Append(tag);
        if (cssClass is not null)
        {
            A("class", cssClass);
        }
        _html.Append('>');
        T(text);
        _html.Append("</").Append(tag).Append('>');
        return this;
    }

    public override string ToString() => _html.ToString();
}
