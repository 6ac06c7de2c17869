/** `vision:lead, nlp` → team memberships with their role (member unless `:lead`). */
export function parseMemberships(text: string): Array<{ teamId: string; role: 'member' | 'lead' }> {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const [teamId = '', role] = entry.split(':').map((part) => part.trim());
      return { teamId, role: role === 'lead' ? 'lead' : 'member' };
    });
}
