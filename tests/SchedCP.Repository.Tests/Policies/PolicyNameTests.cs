using System.Text;
using SchedCP.Repository.Tests.Promotion;

namespace SchedCP.Repository.Tests.Policies;

public class PolicyNameTests
{
    [Theory]
    [InlineData("vtime")]
    [InlineData("a")]
    [InlineData("scx_rusty")]
    [InlineData("ljf_v2")]
    public void Plain_snake_case_names_are_valid(string name) => Assert.True(PolicyName.Validate(name).Succeeded);

    [Theory]
    [InlineData("vtime\n", "control character")]
    [InlineData("vtime\r", "control character")]
    [InlineData("vti\0me", "control character")]
    [InlineData("../../../x", "lower-case letter")]
    [InlineData("a/../../x", "path separator")]
    [InlineData("a\\b", "path separator")]
    [InlineData("a..b", "'.'")]
    [InlineData("", "empty")]
    [InlineData("Vtime", "lower-case letter")]
    [InlineData("vtime\u0131", "not a lower-case letter")]
    [InlineData("1vtime", "lower-case letter")]
    public void Names_that_could_become_a_path_or_forge_a_line_are_refused_with_the_valid_shape(string name, string problem)
    {
        var outcome = PolicyName.Validate(name);
        Assert.Equal(RepositoryErrorCode.InvalidName, outcome.Failure!.Kind);
        Assert.Contains(problem, outcome.Failure.Message, StringComparison.Ordinal);
        Assert.Contains(PolicyName.Shape, outcome.Failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', outcome.Failure.Message);
    }

    [Fact]
    public void A_name_longer_than_64_characters_is_refused() =>
        Assert.False(PolicyName.IsValid(new string('a', 65)));

    [Fact]
    public void Seeded_random_names_never_throw_and_a_valid_one_never_holds_a_control_character_separator_or_dot()
    {
        const string alphabet = "az09_AZ./\\\n\r\t\0\u0085\u2028\u202e\u00e9\u0131 -:~";
        var random = new Random(20261205);
        for (var n = 0; n < 50_000; n++)
        {
            var name = new StringBuilder();
            var length = random.Next(0, 70);
            for (var i = 0; i < length; i++)
            {
                name.Append(random.Next(6) == 0 ? (char)random.Next(0, 0x10000) : alphabet[random.Next(alphabet.Length)]);
            }

            var text = name.ToString();
            var outcome = PolicyName.Validate(text);
            if (outcome.Succeeded)
            {
                Assert.DoesNotContain(text, char.IsControl);
                Assert.DoesNotContain(text, c => c is '/' or '\\' or '.' or ' ' || c > '~');
                Assert.InRange(text.Length, 1, PolicyName.MaxLength);
                Assert.Equal(text, Path.GetFileName(text));
            }
            else
            {
                Assert.Equal(RepositoryErrorCode.InvalidName, outcome.Failure.Kind);
            }
        }
    }

    [Fact]
    public async Task A_candidate_named_with_a_trailing_newline_is_not_stored_beside_the_real_one()
    {
        using var db = new TemporaryDatabase();
        var promotion = new PolicyPromotion(db.Repository(), null, db.Time);
        var result = await promotion.SubmitCandidateAsync(PromotionTests.Generated("vtime\n"), []);
        Assert.Equal(RepositoryErrorCode.InvalidName, result.Failure!.Kind);
        Assert.Null(await db.Repository().Store.GetPolicyAsync("vtime\n"));
        Assert.Equal(RepositoryErrorCode.InvalidName, (await promotion.PromoteToProductionAsync("vtime\n", new DeploymentReceipt("signed"))).Failure!.Kind);
    }

    [Fact]
    public void The_catalog_refuses_a_policy_name_with_a_trailing_newline() =>
        Assert.Contains(CatalogValidator.ValidatePolicy(PromotionTests.Generated("vtime\n")), i => i.Location == "policy.name");
}
