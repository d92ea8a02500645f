namespace Vedette.Detection.Plan;

/// <summary>
/// How common pairs of characters are in event text, for choosing what to search for. Measured by the project over
/// 132 MB of the OTRF Windows recordings as JSON, folded to lower case: the 600 most frequent printable pairs,
/// most frequent first (they cover most of that text; any other pair is rare). Only speed depends on it: a
/// literal is always verified whole.
/// </summary>
internal static class CommonBigrams
{
    public const int Count = 600;

    private const string MostFrequentFirst =
        "\\\\00ince\":st,\"tenddoowwi:\"wsyssy:\\\",32\\sem\\ws\\er2\\c:m3\\n|cse\\rllesr\\romeicdlide\"exe.xe.evintss: tiag"
        + "sonatagervac.dprl+ambo-0\\v+1xsoxvbd\"ime+etocurou10or0220armaenonrcrealec\"s0-atosedcrravect\\tsiabeaad"
        + "-1elrgasd:\"tcalegue:ev\"cneuianqa22utcobj\\\"io08ae03ho560636\"mdacc\"217qbke\"pwabape3014sal\"62wbchofdet\\"
        + "mift25l.jerihanpthaftynsuadimovasg0} ckatdaaob  18ff64e|80n\\\"e4|tppa5-0x13eps-\"1rns\"2-\"iulsm-6}\"lo\"{"
        + "autr+3:3gb8-0\"{5toe\\itru70rdrt:1ngpc:5eeomue4a-4t t-f0n\"2757sh40 104e009ah23\\kmpbffo1211e=4.6048tc3e"
        + "0a1-=\\35ga-wt. 0-s5f71 arp2.4f442a07ust024e7fe2f-5rs:0luei4501-26919woop52\"0bd\"hz\"161\"337|94jat\"e-+2"
        + "t4ak naz85aqs 384\"}\\nu43\\che9-ap34iaey\"rc577hrtnsvpu {21-ciloabbds98\"ubiod31f|83aj796fttdc53ltyw720,"
        + "+69c3|grypa9sk0\\73nn.154 26c\"@r\"6-:2f505 v7e65y\"poe fba-igtu5e6:fax1ay+90:c2nff4cu4cb0b|0d8fog90f-vc"
        + "un5139ovai\"\\mb2:0e8ac-k\"d9la585bfil38tbe{\"-byac|.0bu6e42lb0|\"ka00. i):p\"-\"50 -\"-7bs:1erb68; a2dr\";g("
        + "@tisegn \"}47du-o4\\-a:4t)-\\9e s4128\"w(fh-15/o7:d837e4n/s.1a59\"48\"nc0f49tw9}nrbpcqo\"66c4a192welic0aogn"
        + "878 ts5:zqb4iv\\p91ry3:\"lbw7-cg9a846a55gi29y\\3-63\"oppg\" w76d096msav2,9:d71.75hq\"ab3x8934drk6\"2\"e3rq7a"
        + "btf1awd 5.bldd9d6\\zaeu1:a7{6bcbvm\\ ob9hi.s2cbgtlfmnigkqq2688su2e8\\\"gn:e9r.8681ip1bax1\\ksgo9 4-46bsub";

    private static readonly Dictionary<int, int> Ranks = Build();

    /// <summary>0 for the most common pair, <see cref="Count"/> for any pair not among the common ones.</summary>
    public static int Rank(char first, char second) => Ranks.GetValueOrDefault((first << 16) | second, Count);

    private static Dictionary<int, int> Build()
    {
        var ranks = new Dictionary<int, int>();
        for (var i = 0; i + 1 < MostFrequentFirst.Length; i += 2)
        {
            ranks.TryAdd((MostFrequentFirst[i] << 16) | MostFrequentFirst[i + 1], i / 2);
        }
        return ranks;
    }
}
