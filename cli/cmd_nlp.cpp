// train, eval and parse: the statistical NLP models from the command line.
//
//   newsgraph train tagger|parser|ner --train FILE --dev FILE -o models/NAME.model [--epochs N]
//   newsgraph eval tagger|parser|ner FILE          (last stdout line: key=value figures; LAS
//                                                  compares the full relation, LAS_UNIV only its
//                                                  universal part, as the CoNLL 2018 evaluation)
//   newsgraph parse INPUT                          (CoNLL-U of a text file, or - for stdin)
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <sstream>

#include "command.h"
#include "newsgraph/ner.h"
#include "newsgraph/parser.h"
#include "newsgraph/pipeline.h"
#include "newsgraph/tagger.h"
#include "newsgraph/conllu.h"

namespace newsgraph::cli {

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

std::string models_dir(const context& ctx) { return (std::filesystem::path(ctx.data_dir) / "models").string(); }

std::vector<sentence> read_sentences(const std::string& path) {
  std::vector<sentence> out;
  for (auto& s : nlp::read_conllu(path)) out.push_back(std::move(s.sent));
  if (out.empty()) throw input_error(path + ": no sentences");
  return out;
}

// Copies the tagger's predictions into sentences that keep their gold trees.
void predict_tags(const tagger& t, std::vector<sentence>& sentences) {
  for (sentence& s : sentences) {
    sentence copy = s;
    t.tag(copy);
    for (std::size_t i = 0; i < s.tokens.size(); ++i) {
      s.tokens[i].upos = std::move(copy.tokens[i].upos);
      s.tokens[i].xpos = std::move(copy.tokens[i].xpos);
    }
  }
}

std::string fixed2(double v) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(2) << v;
  return o.str();
}

std::string read_input(const std::string& input) {
  if (input == "-") return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  std::ifstream in(input, std::ios::binary);
  if (!in) throw input_error(input + ": cannot open input file");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct train_args {
  std::vector<std::string> train;
  std::string dev;
  std::string output;
  int epochs = 0;  // 0: the model's default
  std::string tagger_model;
  int jackknife = 4;
  std::uint64_t seed = 1;
  std::string pos_train;  // train ner: the tagger's CoNLL-U training data, for jackknifed tags
  ner_train_options ner;  // train ner: the remaining knobs
};

struct eval_args {
  std::string file;
  std::string model;
  std::string tagger_model;
  bool gold_tags = false;
  std::string newdoc_prefix;
};

void add_train(CLI::App& app, context& ctx) {
  auto* train = app.add_subcommand("train", "train a tagger, parser or NER model");
  train->require_subcommand(1);
  auto args = std::make_shared<train_args>();
  auto common = [&](CLI::App* sub, bool many) {
    if (many) sub->add_option("--train", args->train, "training file(s)")->required()->check(CLI::ExistingFile);
    else sub->add_option("--train", args->train, "training file (CoNLL-U)")->required()->expected(1)->check(CLI::ExistingFile);
    sub->add_option("--dev", args->dev, "development file, picks the best epoch")->check(CLI::ExistingFile);
    sub->add_option("-o,--output", args->output, "model file to write, e.g. models/tagger.model")->required();
    sub->add_option("--epochs", args->epochs, "at most this many epochs")->check(CLI::PositiveNumber);
  };

  auto* tag = train->add_subcommand("tagger", "POS tagger and lemmatizer from CoNLL-U (UD English-EWT)");
  common(tag, false);
  tag->callback([args, &ctx] {
    tagger_options opt;
    if (args->epochs > 0) opt.epochs = args->epochs;
    if (!ctx.quiet) opt.progress = &std::cerr;
    const auto train_set = read_sentences(args->train.front());
    const auto dev_set = args->dev.empty() ? std::vector<sentence>{} : read_sentences(args->dev);
    const auto t0 = clock_type::now();
    const tagger t = tagger::train(train_set, dev_set, opt);
    t.save(args->output);
    if (!ctx.quiet) std::cerr << "tagger: trained in " << fixed2(seconds_since(t0)) << " s, saved " << args->output << '\n';
    if (!dev_set.empty()) {
      const auto s = t.evaluate(dev_set);
      std::cout << "dev UPOS=" << fixed2(s.upos) << " XPOS=" << fixed2(s.xpos) << " LEMMA=" << fixed2(s.lemma) << '\n';
    }
  });

  auto* parse = train->add_subcommand("parser", "dependency parser from CoNLL-U, on predicted tags");
  common(parse, false);
  parse->add_option("--tagger", args->tagger_model, "tagger model for the dev tags (default: models/tagger.model)");
  parse->add_option("--jackknife", args->jackknife,
                    "tag the training data with taggers trained on the other K folds; 0: with --tagger")
      ->check(CLI::Range(0, 20));
  parse->add_option("--seed", args->seed, "seed of the shuffling and exploration");
  parse->callback([args, &ctx] {
    parser_options opt;
    opt.seed = args->seed;
    if (args->epochs > 0) opt.epochs = args->epochs;
    if (!ctx.quiet) opt.progress = &std::cerr;
    const std::string tagger_path =
        args->tagger_model.empty() ? models_dir(ctx) + "/tagger.model" : args->tagger_model;
    const tagger t = tagger::load(tagger_path);
    auto train_set = read_sentences(args->train.front());
    auto dev_set = args->dev.empty() ? std::vector<sentence>{} : read_sentences(args->dev);
    const auto t0 = clock_type::now();
    if (args->jackknife == 1) throw error("--jackknife: need 0 or at least 2 folds");
    if (args->jackknife >= 2) {
      tagger_options topt;
      if (!ctx.quiet) topt.progress = &std::cerr;
      train_set = jackknife_tags(train_set, args->jackknife, topt);
    } else {
      predict_tags(t, train_set);
    }
    predict_tags(t, dev_set);
    const dependency_parser p = dependency_parser::train(train_set, dev_set, opt);
    p.save(args->output);
    if (!ctx.quiet) std::cerr << "parser: trained in " << fixed2(seconds_since(t0)) << " s, saved " << args->output << '\n';
    if (!dev_set.empty()) {
      const auto s = p.evaluate(dev_set);
      std::cout << "dev UAS=" << fixed2(s.uas) << " LAS=" << fixed2(s.las) << '\n';
    }
  });

  auto* ner = train->add_subcommand("ner", "named-entity recognizer from IOB2 files");
  common(ner, true);
  ner->add_option("--tagger", args->tagger_model,
                  "tagger model for the POS features (default: models/tagger.model; 'none': no POS features)");
  ner->add_option("--pos-train", args->pos_train,
                  "CoNLL-U the tagger was trained on: training sentences found in it get tags from taggers "
                  "trained without them (--jackknife folds)")
      ->check(CLI::ExistingFile);
  ner->add_option("--jackknife", args->jackknife, "folds for --pos-train")->check(CLI::Range(2, 20));
  ner->add_option("--seed", args->ner.seed, "seed of the shuffling, augmentation and feature dropout");
  ner->add_option("--margin", args->ner.margin,
                  "also update when the right label wins by less than this (0: plain perceptron)")
      ->check(CLI::NonNegativeNumber);
  ner->add_option("--dropout", args->ner.dropout, "share of the features left out of each training decision")
      ->check(CLI::Range(0.0, 0.9));
  ner->add_option("--person-bias", args->ner.person_bias, "added to the B-PER score when labelling");
  ner->add_option("--doc-memory", args->ner.document_memory,
                  "earlier labels of a word in the document are features (true/false)");
  ner->add_option("--augment", args->ner.augment, "copies of the sentences with entities, mentions replaced")
      ->check(CLI::Range(0, 8));
  ner->add_option("--affiliation", args->ner.affiliation,
                  "augmentation: half of the titles put before names say where (\"Ambassador to the EU\"; true/false)");
  ner->callback([args, &ctx] {
    const std::string tagger_path = args->tagger_model.empty() ? models_dir(ctx) + "/tagger.model"
                                    : args->tagger_model == "none" ? std::string() : args->tagger_model;
    ner_train_options opt = args->ner;
    opt.epochs = args->epochs > 0 ? args->epochs : 12;
    opt.pos_folds = args->jackknife;
    opt.verbose = !ctx.quiet;
    const auto report = train_ner(args->train, args->dev, args->output, ctx.data_dir, tagger_path,
                                  args->pos_train, opt);
    if (!ctx.quiet)
      std::cerr << "ner: best epoch " << report.best_epoch << ", saved " << args->output << '\n';
    std::cout << "dev F1=" << fixed2(report.best_dev_f1) << '\n';
  });
}

void add_eval(CLI::App& app, context& ctx) {
  auto* ev = app.add_subcommand("eval", "score a model on annotated data (gold tokenisation)");
  ev->require_subcommand(1);
  auto args = std::make_shared<eval_args>();

  auto* tag = ev->add_subcommand("tagger", "UPOS, XPOS and lemma accuracy on a CoNLL-U file");
  tag->add_option("FILE", args->file, "gold CoNLL-U")->required()->check(CLI::ExistingFile);
  tag->add_option("-m,--model", args->model, "tagger model (default: models/tagger.model)");
  tag->callback([args, &ctx] {
    const auto t0 = clock_type::now();
    const tagger t = tagger::load(args->model.empty() ? models_dir(ctx) + "/tagger.model" : args->model);
    const double load_s = seconds_since(t0);
    const auto gold = read_sentences(args->file);
    const auto t1 = clock_type::now();
    const auto s = t.evaluate(gold);
    const double secs = seconds_since(t1);
    std::cout << "tokens=" << s.tokens << " load_s=" << fixed2(load_s)
              << " tokens_per_s=" << static_cast<long>(s.tokens / (secs > 0 ? secs : 1e-9)) << '\n';
    std::cout << "UPOS=" << fixed2(s.upos) << " XPOS=" << fixed2(s.xpos) << " LEMMA=" << fixed2(s.lemma) << '\n';
  });

  auto* parse = ev->add_subcommand("parser", "tags then parses a CoNLL-U file; UPOS, XPOS, LEMMA, UAS, LAS");
  parse->add_option("FILE", args->file, "gold CoNLL-U")->required()->check(CLI::ExistingFile);
  parse->add_option("-m,--model", args->model, "parser model (default: models/parser.model)");
  parse->add_option("--tagger", args->tagger_model, "tagger model (default: models/tagger.model)");
  parse->add_flag("--gold-tags", args->gold_tags, "parse with the gold tags of FILE instead of predicted ones");
  parse->callback([args, &ctx] {
    const auto t0 = clock_type::now();
    const tagger t = tagger::load(args->tagger_model.empty() ? models_dir(ctx) + "/tagger.model" : args->tagger_model);
    const dependency_parser p =
        dependency_parser::load(args->model.empty() ? models_dir(ctx) + "/parser.model" : args->model);
    const double load_s = seconds_since(t0);
    auto gold = read_sentences(args->file);
    const auto ts = t.evaluate(gold);
    if (!args->gold_tags) predict_tags(t, gold);
    const auto t1 = clock_type::now();
    const auto ps = p.evaluate(gold);
    const double secs = seconds_since(t1);
    std::cout << "tokens=" << ps.tokens << " tags=" << (args->gold_tags ? "gold" : "predicted")
              << " load_s=" << fixed2(load_s)
              << " parse_tokens_per_s=" << static_cast<long>(ps.tokens / (secs > 0 ? secs : 1e-9)) << '\n';
    std::cout << "UPOS=" << fixed2(ts.upos) << " XPOS=" << fixed2(ts.xpos) << " LEMMA=" << fixed2(ts.lemma)
              << " UAS=" << fixed2(ps.uas) << " LAS=" << fixed2(ps.las) << " LAS_UNIV=" << fixed2(ps.las_universal)
              << '\n';
  });

  auto* ner = ev->add_subcommand("ner", "entity-level precision, recall and F1 on an IOB2 file");
  ner->add_option("FILE", args->file, "gold IOB2 file")->required()->check(CLI::ExistingFile);
  ner->add_option("-m,--model", args->model, "NER model (default: models/ner.model)");
  ner->add_option("--newdoc-prefix", args->newdoc_prefix, "only documents whose id starts with this (PUD news: n)");
  ner->add_option("--tagger", args->tagger_model,
                  "tagger run before NER, as in the pipeline (default: models/tagger.model; 'none': bare forms)");
  ner->callback([args, &ctx] {
    const ner_model m = ner_model::load(args->model.empty() ? models_dir(ctx) + "/ner.model" : args->model);
    std::optional<tagger> t;
    if (args->tagger_model != "none")
      t = tagger::load(args->tagger_model.empty() ? models_dir(ctx) + "/tagger.model" : args->tagger_model);
    std::cout << format_scores(evaluate_ner(m, args->file, args->newdoc_prefix, t ? &*t : nullptr));
  });
}

void add_parse(CLI::App& app, context& ctx) {
  auto* parse = app.add_subcommand("parse", "print the analysis of a text as CoNLL-U");
  auto input = std::make_shared<std::string>();
  auto dir = std::make_shared<std::string>();
  parse->add_option("INPUT", *input, "text file, or - for standard input")->required();
  parse->add_option("--models", *dir, "folder holding tagger.model, parser.model, ner.model (default: models/)");
  parse->callback([input, dir, &ctx] {
    const std::string text = read_input(*input);
    const nlp_pipeline pipeline(dir->empty() ? models_dir(ctx) : *dir);
    const analysis a = pipeline.analyze(text);
    std::ostringstream out;
    for (std::size_t i = 0; i < a.sentences.size(); ++i) {
      const sentence& s = a.sentences[i];
      std::string line(s.span.of(text));
      for (char& c : line)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
      nlp::write_conllu(out, s, {"# sent_id = " + std::to_string(i + 1), "# text = " + line});
    }
    std::cout << out.str();
  });
}

}  // namespace

void add_nlp_commands(CLI::App& app, context& ctx) {
  add_train(app, ctx);
  add_eval(app, ctx);
  add_parse(app, ctx);
}

}  // namespace newsgraph::cli
