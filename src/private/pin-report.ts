import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/** The file `PinImageDigests` writes into the cloud assembly. */
export const PIN_REPORT_FILE = 'image-digest-pins.json';

/** One image reference of the app and what became of it. */
export interface PinRecord {
  /** The construct path of the resource that names the image. */
  readonly path: string;
  readonly resourceType: string;
  /** The property as CloudFormation writes it, with list indexes. */
  readonly property: string;
  /** The reference as the app wrote it: a URI, or an intrinsic as JSON. */
  readonly image: string;
  readonly status: 'pinned' | 'skipped';
  /** Why a reference was skipped. */
  readonly reason?: string;
  /** The path of the lookup that pins it. */
  readonly lookup?: string;
  readonly tag?: string;
  readonly platform?: string;
}

const REPORT_ID = 'ImageDigestPinReport';

/**
 * The app's one summary of image references, written into the cloud
 * assembly at synth. It lives at the root, so that every stack and stage
 * adds to the same file, and it is keyed by resource and property, so that
 * applying the aspect twice records each reference once.
 */
export class PinReport extends Construct {
  /** The app's report, created on first use. */
  public static of(scope: IConstruct): PinReport {
    const root = scope.node.root as Construct;
    const existing = root.node.tryFindChild(REPORT_ID);
    return existing instanceof PinReport ? existing : new PinReport(root, REPORT_ID);
  }

  private readonly records = new Map<string, PinRecord>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    attachCustomSynthesis(this, {
      onSynthesize: (session) => {
        const body = { version: 1, references: this.all() };
        fs.writeFileSync(path.join(session.outdir, PIN_REPORT_FILE), JSON.stringify(body, undefined, 2) + '\n');
      },
    });
  }

  public record(entry: PinRecord): void {
    this.records.set(`${entry.path} ${entry.property}`, entry);
  }

  /** Every record, sorted by path and property, so that the file is the same at each synth. */
  public all(): PinRecord[] {
    return [...this.records.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, record]) => record);
  }
}
