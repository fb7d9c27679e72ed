/**
 * The lecture nnkit grew from ("Свёрточные (продолжение) и рекуррентные нейронные сети", MML minor #6), slide by
 * slide in its order, told in nnkit's words: each slide (or run of slides on one topic) with what it claims and the
 * recipes that reproduce it. A slide with nothing to measure (a definition, a history, links) says why in `nothing`.
 */
export interface LectureSlide {
  /** Anchor in the page: `#receptive-field`. */
  readonly id: string;
  readonly topic: string;
  readonly claim: string;
  /** nnkit's recipes that reproduce it, by name (`conv-params`), in the order the page shows them. */
  readonly recipes: readonly string[];
  /** Why there is nothing to reproduce, one line; only where `recipes` is empty. */
  readonly nothing?: string;
}

export const LECTURE_TITLE = 'Convolutional (continued) and recurrent neural networks';
export const LECTURE_SOURCE = 'MML minor #6, “Свёрточные (продолжение) и рекуррентные нейронные сети”';

export const LECTURE_SLIDES: readonly LectureSlide[] = [
  {
    id: 'color-image',
    topic: 'A colour image is a tensor',
    claim: 'An input image is a W × H × C_in array: width, height and one channel per colour.',
    recipes: [],
    nothing: 'A definition: nothing to reproduce.',
  },
  {
    id: 'many-kernels',
    topic: 'One kernel is not enough',
    claim:
      'A layer trains C_out kernels of W_k × H_k × C_in; with stride 1 and padding it keeps W × H positions, and costs (W_k·H_k·C_in + 1)·C_out parameters.',
    recipes: ['conv-params'],
  },
  {
    id: 'receptive-field',
    topic: 'Stacking layers, and how far a neuron sees',
    claim:
      'N stacked 3 × 3 layers see a (2N+1) × (2N+1) patch, so a 300-pixel object would need 150 layers; a stride of 2 makes the field grow much faster.',
    recipes: ['receptive-field'],
  },
  {
    id: 'translation-invariance',
    topic: 'Translation invariance, and the pooling layer',
    claim:
      'A pattern moved across the image gives a moved map with the same maximum: pooling (max or average over a patch) answers the same for both.',
    recipes: ['translation-invariance'],
  },
  {
    id: 'maxpool-backprop',
    topic: 'Back-propagation through max pooling',
    claim:
      'The maximum is not differentiable everywhere, yet only the largest input moves the output: its gradient is 1, the others get 0.',
    recipes: ['maxpool-backprop'],
  },
  {
    id: 'lenet5',
    topic: 'A simple CNN: LeNet-5 on MNIST (1998)',
    claim: 'Convolutions, pooling and a small classifier read handwritten digits with under 1% test error.',
    recipes: ['lenet5-mnist'],
  },
  {
    id: 'mnist-activations',
    topic: 'A trained MNIST network, layer by layer',
    claim: 'Each layer of a trained network shows what it makes of one digit, from strokes to the class.',
    recipes: ['mnist-activations'],
  },
  {
    id: 'deep-representations',
    topic: 'Deep layers learn representations',
    claim:
      'Deeper convolutional layers respond to larger, more complex patterns, and their outputs are features a small classifier (an MLP) can use.',
    recipes: ['feature-visualization', 'features-as-input'],
  },
  {
    id: 'style-transfer',
    topic: 'An application: style transfer',
    claim: 'A painting redrawn in the style of another, with a trained CNN’s features.',
    recipes: [],
    nothing: 'Shown as pictures of a published method: nothing nnkit reproduces.',
  },
  {
    id: 'more-applications',
    topic: 'More applications on the web',
    claim: 'Quick, Draw! and pix2pix, two demonstrations to try in a browser.',
    recipes: [],
    nothing: 'Links to demonstrations: nothing to reproduce.',
  },
  {
    id: 'sequences',
    topic: 'Recurrent networks read sequences',
    claim: 'Words of a sentence, letters, audio samples, pixels: an RNN takes them one at a time.',
    recipes: [],
    nothing: 'A definition: nothing to reproduce.',
  },
  {
    id: 'simple-rnn',
    topic: 'How a simple RNN works',
    claim: 'The same cell runs at every step, and its hidden state s_t carries what it has read so far.',
    recipes: [],
    nothing: 'A definition (nnkit’s cell is rnn-lm/simple): the slides that follow measure it.',
  },
  {
    id: 'hmm-vs-rnn',
    topic: 'What about a hidden Markov model?',
    claim: 'An HMM’s hidden state (a part-of-speech tag) depends only on the state before it; an RNN’s state can carry the whole prefix.',
    recipes: ['hmm-vs-rnn'],
  },
  {
    id: 'bptt',
    topic: 'Back-propagation through time',
    claim: 'Unrolled in time an RNN is a feed-forward network with shared weights: ∂E/∂W sums, over the steps, products of ∂s_j/∂s_{j−1}.',
    recipes: ['bptt-check'],
  },
  {
    id: 'language-model',
    topic: 'The slides’ example network as a language model',
    claim:
      'With softmax(V s_t) predicting the next word and cross-entropy as the error, a recurrent network models text better than n-gram counts (Mikolov et al. 2010, in the references).',
    recipes: ['rnn-lm'],
  },
  {
    id: 'vanishing-gradients',
    topic: 'Vanishing gradients',
    claim:
      'The product of ∂s_j/∂s_{j−1} = f′·W shrinks fast (or blows up) with every step back; through an LSTM the error at step 128 still reaches the start.',
    recipes: ['vanishing-gradients'],
  },
  {
    id: 'gradient-clipping',
    topic: 'Gradient clipping',
    claim: 'Gradients can explode: rescaling them when their norm passes a threshold keeps training stable.',
    recipes: ['exploding-gradients'],
  },
  {
    id: 'lstm-memory',
    topic: 'A simple RNN forgets; an LSTM remembers',
    claim: 'h_t = tanh(Ux_t + Wh_{t−1}) loses what it read long ago; an LSTM learns dependencies across many steps.',
    recipes: ['long-memory'],
  },
  {
    id: 'lstm-cell',
    topic: 'Inside the LSTM cell',
    claim: 'A cell state C_t runs through every step; forget, input and output gates learn what to drop, add and show.',
    recipes: [],
    nothing: 'Definitions (the equations of nnkit’s lstm/lstm cell): measured by the slides around them.',
  },
  {
    id: 'encoder-decoder',
    topic: 'Encoder–decoder, and attention',
    claim:
      'Without attention the decoder sees the source only through the encoder’s last state; attention lets each output step look back at every input.',
    recipes: ['attention-bottleneck'],
  },
  {
    id: 'translation',
    topic: 'Machine translation with attention',
    claim: 'An encoder–decoder with attention learns to rewrite one sequence as another.',
    recipes: ['dates', 'g2p-cmudict'],
  },
  {
    id: 'multilingual',
    topic: 'One model for many languages',
    claim:
      'One encoder and decoder trained on many language pairs at once, told the target language by a token, translates even a pair it never saw.',
    recipes: ['multilingual'],
  },
  {
    id: 'speech',
    topic: 'Speech recognition with attention',
    claim: 'An encoder over audio frames and an attending decoder write down what was said.',
    recipes: ['speech'],
  },
  {
    id: 'captioning',
    topic: 'Image captioning: a CNN encoder, an RNN decoder',
    claim: 'A convolutional encoder and a recurrent decoder describe an image in words, each word attending to its region.',
    recipes: ['captioning'],
  },
  {
    id: 'handwriting',
    topic: 'Reading handwriting',
    claim: 'A recurrent reader turns a line of handwriting into characters without being told where each one is.',
    recipes: ['handwriting'],
  },
  {
    id: 'references',
    topic: 'References',
    claim: 'Colah’s and WildML’s tutorials, Mikolov et al. 2010, Distill on attention, multilingual NMT, WaveNet, TensorFlow’s tutorials.',
    recipes: [],
    nothing: 'A reading list: nothing to reproduce.',
  },
];

/** Every recipe the lecture names, in lecture order. */
export function lectureRecipes(slides: readonly LectureSlide[] = LECTURE_SLIDES): string[] {
  return slides.flatMap((slide) => slide.recipes);
}
