namespace Vedette.Simulation;

/// <summary>One fetchable thing on a site, with the extension the proxy logs for it ("" when the path has none).</summary>
internal sealed record WebResource(string Url, string Extension);

/// <summary>A benign internet site the staff use, with everything its events need built once.</summary>
internal sealed class Site
{
    private static readonly (string Path, string Extension)[] CommonPaths =
    [
        ("/", ""), ("/index.html", "html"), ("/assets/app.js", "js"), ("/assets/vendor.js", "js"), ("/assets/site.css", "css"),
        ("/images/logo.png", "png"), ("/images/banner.jpg", "jpg"), ("/api/v1/session", ""), ("/favicon.ico", "ico"),
    ];

    public Site(string domain, string ip)
    {
        Domain = domain;
        Ip = ip;
        QueryResults = "::ffff:" + ip + ";";
        Resources = [.. CommonPaths.Select(p => new WebResource("https://" + domain + p.Path, p.Extension))];
    }

    public string Domain { get; }

    public string Ip { get; }

    /// <summary>The answer as Sysmon event 22 writes it.</summary>
    public string QueryResults { get; }

    public IReadOnlyList<WebResource> Resources { get; }
}

/// <summary>
/// The internet around the organisation: the sites staff use, a software vendor's update site, and the documentation
/// address ranges (RFC 5737) from which adversaries and decoys take their addresses without ever colliding.
/// </summary>
internal sealed class Internet
{
    // Real service names with plausible addresses (not looked up) plus invented partners under example domains.
    private static readonly (string Domain, string Ip)[] KnownSites =
    [
        ("www.google.com", "142.250.74.36"), ("login.microsoftonline.com", "20.190.159.2"), ("outlook.office365.com", "52.97.146.162"),
        ("teams.microsoft.com", "52.113.194.132"), ("www.office.com", "13.107.6.156"), ("graph.microsoft.com", "20.190.151.68"),
        ("onedrive.live.com", "13.107.42.13"), ("www.bing.com", "13.107.21.200"), ("slack.com", "34.199.78.133"),
        ("zoom.us", "170.114.52.2"), ("github.com", "140.82.121.4"), ("www.linkedin.com", "13.107.42.14"),
        ("corp-example.my.salesforce.com", "101.53.162.10"), ("www.wikipedia.org", "185.15.59.224"),
        ("update.googleapis.com", "142.250.185.67"), ("fonts.gstatic.com", "142.250.186.35"), ("cdn.jsdelivr.net", "151.101.1.229"),
        ("www.dropbox.com", "162.125.1.18"), ("docs.google.com", "142.250.186.46"), ("www.youtube.com", "142.250.185.78"),
        ("s3.amazonaws.com", "52.216.62.24"), ("corp-example.atlassian.net", "185.166.143.24"), ("www.bbc.co.uk", "151.101.0.81"),
        ("www.reuters.com", "104.18.34.187"), ("ctldl.windowsupdate.com", "93.184.221.240"), ("stackoverflow.com", "104.18.32.7"),
        ("portal.northwind-supplies.example.com", "93.184.215.14"), ("news.industry-weekly.example.org", "93.184.215.31"),
        ("booking.travel-desk.example.net", "93.184.216.77"), ("payroll.paycircle.example.com", "93.184.216.90"),
        ("www.weather-today.example.org", "93.184.217.12"), ("shop.office-supply.example.net", "93.184.217.45"),
    ];

    private readonly List<string> _reserved;
    private int _nextReserved;

    public Internet(Dice dice)
    {
        Sites = [.. KnownSites.Select(s => new Site(s.Domain, s.Ip))];
        _reserved = [];
        foreach (var prefix in (string[])["192.0.2.", "198.51.100.", "203.0.113."])
        {
            for (var host = 2; host < 255; host++)
            {
                _reserved.Add(prefix + host);
            }
        }
        dice.Shuffle(_reserved);
    }

    public IReadOnlyList<Site> Sites { get; }

    /// <summary>The vendor whose agents fetch .msi/.exe updates through the proxy: a benign pattern that download rules must explain.</summary>
    public Site Vendor { get; } = new("downloads.fabrikam.example.com", "93.184.218.20");

    public IReadOnlyList<WebResource> VendorDownloads { get; } =
    [
        new("https://downloads.fabrikam.example.com/agent/FabrikamAgent-4.2.1.msi", "msi"),
        new("https://downloads.fabrikam.example.com/agent/FabrikamAgent-4.2.2.msi", "msi"),
        new("https://downloads.fabrikam.example.com/tools/fabrikam-setup-x64.exe", "exe"),
    ];

    public Site ChromeUpdates { get; } = new("dl.google.com", "142.250.185.110");

    public WebResource ChromeInstaller { get; } = new("https://dl.google.com/chrome/install/GoogleChromeStandaloneEnterprise64.msi", "msi");

    public bool IsSiteDomain(string domain)
    {
        foreach (var site in Sites)
        {
            if (site.Domain == domain)
            {
                return true;
            }
        }
        return domain == Vendor.Domain || domain == ChromeUpdates.Domain;
    }

    /// <summary>A documentation-range address no one else in this run has.</summary>
    public string ReserveAddress() =>
        _nextReserved < _reserved.Count
            ? _reserved[_nextReserved++]
            : throw new InvalidOperationException("the documentation address ranges are exhausted");
}
