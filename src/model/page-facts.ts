/** A file position: 1-based line and column of the whole file. */
export interface FilePosition {
  line: number;
  column: number;
}

/** A URL written in a page body, as written (trimmed; Jekyll's site URL expressions not yet expanded). */
export interface WrittenReference extends FilePosition {
  /** The element that carries it: a, img, source… */
  tagName: string;
  url: string;
}

/** A heading as its author wrote it (heading ids as the heading ids plugin gives them). */
export interface WrittenHeading extends FilePosition {
  rank: number;
  /** Its text, trimmed. */
  text: string;
  /** Its id, when it has one. */
  id: string | null;
}

/**
 * What the content checks need of a page, taken when it is read and rendered, so that checking
 * a content version reads and parses nothing again: what its author wrote, with file positions
 * (the links and embedded files that could point at something missing, the headings, an empty
 * title), and the ids its served HTML holds.
 */
export interface PageFacts {
  /** File line of the body's first line. */
  bodyLine: number;
  references: WrittenReference[];
  headings: WrittenHeading[];
  /** Ids of the served HTML's elements, in document order. */
  servedIds: string[];
  /** Where the front matter sets `title` to nothing (`title:`, `title: ""`), or null. */
  emptyTitle: FilePosition | null;
  /** The FAQ as served (see src/content/checks/faq.ts). */
  faq: FaqFacts;
}

/** What the FAQ check needs of a page as served: FAQ headings with no question under them, and questions with an empty answer. */
export interface FaqFacts {
  emptyHeadings: { id: string; title: string; level: number }[];
  unanswered: { id: string; question: string }[];
}
