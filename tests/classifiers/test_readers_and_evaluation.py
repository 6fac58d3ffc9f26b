import pytest

from classifiers.evaluation import scores
from classifiers.readers import DatasetError, deduplicate, read_examples


def test_youtube_csv_uses_only_the_content(tmp_path):
    path = tmp_path / "Youtube09-Test.csv"
    path.write_text(
        "COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS\n"
        'a1,Spammer,,"Check my channel, please\ufeff",1\n'
        "a2,Fan,2015-01-01,Great song,0\n",
        encoding="utf-8",
    )
    examples = read_examples(path)
    assert [(e.sample.body, e.label) for e in examples] == [
        ("Check my channel, please\ufeff", 1), ("Great song", 0)]  # fmt: skip
    assert examples[0].sample.author == "" and examples[0].source == "Youtube09-Test.csv"


def test_sms_tsv_keeps_quotes_as_text(tmp_path):
    path = tmp_path / "SMSSpamCollection"
    path.write_text('ham\tHe said "ok\nspam\tWIN "now" call 0800\nham\tfine\n', encoding="utf-8")
    examples = read_examples(path)
    assert [(e.sample.body, e.label) for e in examples] == [
        ('He said "ok', 0), ('WIN "now" call 0800', 1), ("fine", 0)]  # fmt: skip


def test_generic_csv_with_form_fields(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "body,label,author,email,url\n"
        "Bonjour,ham,Léa,lea@example.org,\n"
        '"Promo, vite",SPAM,Bot,b@x.xyz,https://x.xyz\n'
        "Texte,1,,,\nAutre,0,,,\n",
        encoding="utf-8",
    )
    examples = read_examples(path)
    assert [e.label for e in examples] == [0, 1, 1, 0]
    assert examples[1].sample.url == "https://x.xyz" and examples[0].sample.author == "Léa"


@pytest.mark.parametrize(
    "content", ["a,b\n1,2\n", "label,body\nmaybe,text\n", "nonsense without tabs\n"]
)
def test_bad_files_say_why(tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError):
        read_examples(path)


def test_deduplicate_ignores_case_spacing_and_bom(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        "label,body\nspam,Check  it\nspam,check it\ufeff\nham,other\n", encoding="utf-8"
    )
    assert [e.sample.body for e in deduplicate(read_examples(path))] == ["Check  it", "other"]


def test_scores_on_a_tiny_fixed_set():
    figures = scores([1, 1, 0, 0, 1], [0.9, 0.4, 0.2, 0.6, 0.7])
    assert (figures["tp"], figures["fn"], figures["tn"], figures["fp"]) == (2, 1, 1, 1)
    assert figures["n"] == 5 and figures["accuracy"] == 0.6
    assert figures["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert figures["recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert figures["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert figures["mcc"] == pytest.approx(1 / 6, abs=1e-4)
    assert figures["roc_auc"] == pytest.approx(5 / 6, abs=1e-4)
    assert scores([1, 1, 0, 0, 1], [0.9, 0.4, 0.2, 0.6, 0.7], threshold=0.8)["tp"] == 1


def test_scores_with_one_class_have_no_auc():
    assert scores([0, 0], [0.1, 0.7])["roc_auc"] is None
