using System.Text.RegularExpressions;
using Vedette.Identity;

namespace Vedette.Tests.Identity;

public sealed class RecoveryCodesTests
{
    [Fact]
    public void Ten_distinct_codes_of_80_random_bits_are_made_in_groups_of_four()
    {
        var codes = RecoveryCodes.Generate();

        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Matches(new Regex("^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$"), code));
    }

    [Fact]
    public void A_code_hashes_the_same_however_it_is_typed_and_the_hash_does_not_contain_it()
    {
        var code = "0a1b-2c3d-4e5f-6g7h";

        var hash = RecoveryCodes.Hash(code);

        Assert.Equal(hash, RecoveryCodes.Hash("0A1B 2C3D 4E5F 6G7H"));
        Assert.Equal(hash, RecoveryCodes.Hash("oa1b2c3d4e5f6g7h")); // o read as 0
        Assert.Equal(RecoveryCodes.Hash("1111-2222-3333-4444"), RecoveryCodes.Hash("i1l1-2222-3333-4444"));
        Assert.NotEqual(hash, RecoveryCodes.Hash("0a1b-2c3d-4e5f-6g7j"));
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.DoesNotContain("0a1b", hash, StringComparison.Ordinal);
    }
}
