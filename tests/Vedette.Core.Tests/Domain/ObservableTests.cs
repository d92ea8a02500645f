using Vedette.Domain;

namespace Vedette.Tests.Domain;

public sealed class ObservableTests
{
    [Theory]
    [InlineData(ObservableType.Ipv4, " 10.1.2.3 ", "10.1.2.3")]
    [InlineData(ObservableType.Ipv4, "10[.]1[.]2[.]3", "10.1.2.3")]
    [InlineData(ObservableType.Ipv6, "2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
    [InlineData(ObservableType.Ipv6, "[2001:db8::1]", "2001:db8::1")]
    [InlineData(ObservableType.Cidr, "10.1.2.3/8", "10.0.0.0/8")]
    [InlineData(ObservableType.Cidr, "2001:db8::1/32", "2001:db8::/32")]
    [InlineData(ObservableType.Domain, "Evil.Example.COM.", "evil.example.com")]
    [InlineData(ObservableType.Domain, "evil[.]example[.]com", "evil.example.com")]
    [InlineData(ObservableType.Domain, "bücher.example", "xn--bcher-kva.example")]
    [InlineData(ObservableType.Url, "hxxp://Evil[.]Example[.]com/path?q=1", "http://evil.example.com/path?q=1")]
    [InlineData(ObservableType.Url, "HTTPS://Files.Example.NET:443/Invoice.hta", "https://files.example.net/Invoice.hta")]
    [InlineData(ObservableType.Md5, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData(ObservableType.Sha1, "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData(ObservableType.Email, "Jane.Doe@Corp[.]Example", "jane.doe@corp.example")]
    [InlineData(ObservableType.User, "CORP\\JDoe", "jdoe")]
    [InlineData(ObservableType.User, "jdoe@corp.example", "jdoe")]
    [InlineData(ObservableType.Host, "WKS001.corp.example", "wks001.corp.example")]
    [InlineData(ObservableType.Process, "\"C:\\Windows\\System32\\cmd.exe\"", "C:\\Windows\\System32\\cmd.exe")]
    public void Values_are_parsed_into_their_canonical_form(ObservableType type, string raw, string expected)
    {
        Assert.Equal(expected, Observable.Parse(type, raw).Value);
    }

    [Theory]
    [InlineData(ObservableType.Ipv4, "10.1.2")]
    [InlineData(ObservableType.Ipv4, "010.1.2.3")]
    [InlineData(ObservableType.Ipv4, "256.1.2.3")]
    [InlineData(ObservableType.Ipv4, "2001:db8::1")]
    [InlineData(ObservableType.Ipv6, "10.1.2.3")]
    [InlineData(ObservableType.Cidr, "10.0.0.0/33")]
    [InlineData(ObservableType.Domain, "localhost")]
    [InlineData(ObservableType.Domain, "10.1.2.3")]
    [InlineData(ObservableType.Domain, "-bad-.example")]
    [InlineData(ObservableType.Md5, "xyz")]
    [InlineData(ObservableType.Sha256, "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData(ObservableType.Email, "no-at-sign.example")]
    [InlineData(ObservableType.User, "-")]
    [InlineData(ObservableType.User, "WKS001$")]
    [InlineData(ObservableType.Url, "not a url")]
    public void Invalid_values_are_refused_with_a_reason(ObservableType type, string raw)
    {
        Assert.False(Observable.TryParse(type, raw, out _, out var error));
        Assert.Contains(ObservableTypes.ToName(type), error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => Observable.Parse(type, raw));
    }

    [Theory]
    [InlineData("203.0.113.7", ObservableType.Ipv4)]
    [InlineData("2001:db8::7", ObservableType.Ipv6)]
    [InlineData("198.51.100.0/24", ObservableType.Cidr)]
    [InlineData("evil.example", ObservableType.Domain)]
    [InlineData("hxxps://evil.example/x", ObservableType.Url)]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ObservableType.Sha256)]
    [InlineData("ceo@evil.example", ObservableType.Email)]
    public void Untyped_indicator_values_get_the_right_type(string raw, ObservableType expected)
    {
        Assert.True(Observable.TryDetect(raw, out var observable));
        Assert.Equal(expected, observable.Type);
    }

    [Fact]
    public void Equal_things_written_differently_are_equal_observables()
    {
        Assert.Equal(Observable.Parse(ObservableType.Domain, "EVIL[.]example"), Observable.Parse(ObservableType.Domain, "evil.example."));
        Assert.Equal(Observable.Parse(ObservableType.Ipv6, "2001:DB8:0:0::1"), Observable.Parse(ObservableType.Ipv6, "2001:db8::1"));
    }
}
